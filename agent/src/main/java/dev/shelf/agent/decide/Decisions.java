package dev.shelf.agent.decide;

/** Where the rewriting asks whether an allocation site's class is pooled. */
public interface Decisions {

    /** Nothing is pooled: for rewriting a class's own pooled members without touching its sites. */
    Decisions NONE = new Decisions() {
        @Override
        public PoolDecision decide(String internalName) {
            return PoolDecision.NOT_POOLED;
        }

        @Override
        public PoolDecision decideForSite(String internalName) {
            return PoolDecision.NOT_POOLED;
        }

        @Override
        public boolean promise(String internalName) {
            return false;
        }
    };

    /**
     * Called before a site is rewritten to call {@code internalName}'s factory.
     *
     * @param internalName the pooled class
     * @return whether the class has or will get the factory; {@code false} when it already loaded without it
     */
    boolean promise(String internalName);

    /**
     * Returns whether {@code new} of it is pooled because the class is annotated {@code @Pooled}.
     *
     * @param internalName a class, with slashes
     */
    PoolDecision decide(String internalName);

    /**
     * Returns whether a {@code new @Pooled T()} site of it can be pooled.
     *
     * @param internalName a class, with slashes
     */
    PoolDecision decideForSite(String internalName);
}
