package dev.shelf.agent.decide;

import java.util.List;
import java.util.function.Predicate;

/** Test {@link Decisions} that pretend the chosen classes are pooled, with one constructor each, and keep every promise. */
public final class PoolingDecisions implements Decisions {

    private final Predicate<String> pooled;
    private final String constructorDesc;
    private final boolean methodScoped;

    /**
     * @param pooled          which internal names count as pooled
     * @param constructorDesc the descriptor of the one constructor each pooled class is said to have
     */
    public PoolingDecisions(Predicate<String> pooled, String constructorDesc) {
        this(pooled, constructorDesc, false);
    }

    /**
     * @param pooled          which internal names count as pooled
     * @param constructorDesc the descriptor of the one constructor each pooled class is said to have
     * @param methodScoped    whether they are {@code @Pooled(scope = METHOD)}
     */
    public PoolingDecisions(Predicate<String> pooled, String constructorDesc, boolean methodScoped) {
        this.pooled = pooled;
        this.constructorDesc = constructorDesc;
        this.methodScoped = methodScoped;
    }

    @Override
    public PoolDecision decide(String internalName) {
        return pooled.test(internalName) ? new PoolDecision.Accepted(internalName, "java/lang/Object", false, true,
                List.of(constructorDesc), 0, -1, methodScoped) : PoolDecision.NOT_POOLED;
    }

    @Override
    public PoolDecision decideForSite(String internalName) {
        return decide(internalName);
    }

    @Override
    public boolean promise(String internalName) {
        return true;
    }

    /**
     * @return the same decisions, but every promise refused: as if each pooled class had loaded already, without
     *         its pooled members
     */
    public Decisions withoutPromises() {
        Decisions pooled = this;
        return new Decisions() {
            @Override
            public PoolDecision decide(String internalName) {
                return pooled.decide(internalName);
            }

            @Override
            public PoolDecision decideForSite(String internalName) {
                return pooled.decideForSite(internalName);
            }

            @Override
            public boolean promise(String internalName) {
                return false;
            }
        };
    }
}
