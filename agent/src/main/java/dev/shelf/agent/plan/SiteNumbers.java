package dev.shelf.agent.plan;

/**
 * Numbers the allocation sites the agent rewrites, so that the pool can count per site. The number is per pooled
 * class, small and dense (the pool indexes per-thread counter arrays with it), and goes into the rewritten code as a
 * constant argument of {@code T.$shelf$new(site, args...)}.
 */
@FunctionalInterface
public interface SiteNumbers {

    /** The pool runtime's numbering ({@code dev.shelf.internal.Sites}), which statistics read the names back from. */
    // RuntimeNumbering is made only here, so nothing initialises it before this interface: no deadlock.
    @SuppressWarnings("ClassInitializationDeadlock")
    SiteNumbers RUNTIME = new RuntimeNumbering();

    /** What {@link #number} answers for a site that must stay a plain {@code new} (see {@code SiteReverter}). */
    int LEAVE = -1;

    /**
     * Returns the site's number for that class, at least 0; or {@link #LEAVE} to leave the site as it is.
     *
     * @param pooledClass internal name of the pooled class the site allocates
     * @param site        where the site is, {@code Class.method:line}
     */
    int number(String pooledClass, String site);

    /** Returns whether this numbering leaves any site alone now (then rewritten classes are not taken from a cache). */
    default boolean leavesAny() {
        return false;
    }

    /**
     * Registers with the runtime on the bootstrap class path. A named class rather than a method reference: the
     * transformer runs while the application loads classes, and a lambda would be linked there.
     */
    final class RuntimeNumbering implements SiteNumbers {
        @Override
        public int number(String pooledClass, String site) {
            return dev.shelf.internal.Sites.register(pooledClass, site);
        }
    }
}
