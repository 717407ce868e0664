package dev.shelf;

import java.util.List;
import java.util.Optional;

/**
 * Counters of every pool at one moment. Obtained from {@link Shelf#stats()}.
 *
 * @param active whether the agent was running when the snapshot was taken
 * @param pools  one entry per pooled class, and per pooled array type and length ({@code byte[65536]}), sorted by
 *               name
 */
public record ShelfStats(boolean active, List<PoolStats> pools) {

    /**
     * Counters of one pooled class, or of the pool of one array type and length ({@code new @Pooled byte[65536]}),
     * whose "objects" are arrays.
     *
     * <p>Once the threads using a pool are quiet, {@code released == reused + dropped + evicted + idle}: every
     * object given back was either handed out again, refused, let go, or is still waiting.
     *
     * @param className the pooled class's binary name, or an array pool's element type and length:
     *                  {@code byte[65536]}, {@code java.lang.String[16]}, {@code byte[4][]}
     * @param capacity  how many idle objects one thread may keep
     * @param acquired  rewritten {@code new} calls served (reused + allocated)
     * @param reused    of those, served by re-initialising an idle object (hits)
     * @param allocated of those, served by a real allocation because no idle object was at hand (misses)
     * @param released  {@link Shelf#release(Object)} calls that reached this pool
     * @param dropped   releases that found the thread's pool and the shared depot full; the object became garbage
     * @param idle      objects waiting in pools right now (approximate under traffic)
     * @param evicted   idle objects the pool let go of by itself: unused across two garbage collections, all of
     *                  them under memory pressure, or left behind by a thread that ended
     * @param sharedCapacity how many idle objects the shared depot may hold ({@code maxShared}, rounded down to
     *                  whole crates)
     * @param sites     the same counters per allocation site that acquired anything, in the order the agent
     *                  numbered the sites (see {@link SiteStats}); they add up to this class's {@code acquired},
     *                  {@code reused}, {@code allocated}, {@code released} and {@code dropped}
     */
    public record PoolStats(String className, int capacity, long acquired, long reused, long allocated,
                            long released, long dropped, long idle, long evicted, int sharedCapacity,
                            List<SiteStats> sites) {

        /** Makes the list unmodifiable. */
        public PoolStats {
            sites = List.copyOf(sites);
        }

        /**
         * The counters before per-site statistics existed: {@code sites} is empty. Kept so that code written against
         * them still compiles.
         *
         * @param className      the pooled class's binary name
         * @param capacity       how many idle objects one thread may keep
         * @param acquired       reused + allocated
         * @param reused         hits
         * @param allocated      misses
         * @param released       releases that reached the pool
         * @param dropped        releases refused because the pool was full
         * @param idle           objects waiting now
         * @param evicted        idle objects let go of by the pool
         * @param sharedCapacity the shared depot's capacity
         */
        public PoolStats(String className, int capacity, long acquired, long reused, long allocated,
                         long released, long dropped, long idle, long evicted, int sharedCapacity) {
            this(className, capacity, acquired, reused, allocated, released, dropped, idle, evicted, sharedCapacity,
                    List.of());
        }

        /**
         * The counters known before eviction and the shared depot existed; {@code evicted} and
         * {@code sharedCapacity} are 0. Kept so that code written against the first release still compiles.
         *
         * @param className the pooled class's binary name
         * @param capacity  how many idle objects one thread may keep
         * @param acquired  reused + allocated
         * @param reused    hits
         * @param allocated misses
         * @param released  releases that reached the pool
         * @param dropped   releases refused because the pool was full
         * @param idle      objects waiting now
         */
        public PoolStats(String className, int capacity, long acquired, long reused, long allocated,
                         long released, long dropped, long idle) {
            this(className, capacity, acquired, reused, allocated, released, dropped, idle, 0, 0, List.of());
        }

        /**
         * The share of acquisitions served from the pool.
         *
         * @return reused / acquired, or 0 when nothing was acquired
         */
        public double hitRatio() {
            return acquired == 0 ? 0.0 : (double) reused / acquired;
        }

        /**
         * Looks up one allocation site's counters.
         *
         * @param site the site's name, {@code Class.method:line}
         * @return its counters, or empty if that site acquired nothing (or does not exist)
         */
        public Optional<SiteStats> site(String site) {
            return sites.stream().filter(s -> s.site().equals(site)).findFirst();
        }
    }

    /**
     * Counters of one allocation site of a pooled class: one {@code new T(...)} in the application's code, named
     * {@code Class.method:line} after where it is ({@code com.acme.Handler.handle:42}; {@code Class.method} when the
     * class file has no line numbers). Two {@code new T()} on the same line count as one site.
     *
     * <p>A release is counted for the site that <em>acquired</em> the object, whatever thread or method releases it,
     * so {@code acquired - released} is how many objects of this site are still out (in use, leaked, or left to the
     * garbage collector). Objects that did not come from a rewritten site (reflection, code outside Shelf's scope)
     * count under the site {@code (not a rewritten site)}. Evictions are counted per class only: an idle object is
     * evicted from a stack that mixes sites long after its release.
     *
     * @param site           {@code Class.method:line}
     * @param acquired       rewritten {@code new} calls served here (reused + allocated)
     * @param reused         of those, served by an idle object
     * @param allocated      of those, served by allocating
     * @param released       releases of objects this site acquired, including dropped ones
     * @param dropped        of those, dropped because the thread's pool and the shared depot were full
     * @param doubleReleases refused second releases of objects this site acquired
     */
    public record SiteStats(String site, long acquired, long reused, long allocated, long released, long dropped,
                            long doubleReleases) {

        /**
         * The share of this site's acquisitions served from the pool.
         *
         * @return reused / acquired, or 0 when nothing was acquired
         */
        public double hitRatio() {
            return acquired == 0 ? 0.0 : (double) reused / acquired;
        }
    }

    /** Makes the list unmodifiable. */
    public ShelfStats {
        pools = List.copyOf(pools);
    }

    /**
     * Looks up one class's counters, or one array pool's.
     *
     * @param className the binary name, as {@link Class#getName()} gives it; or an array type and length,
     *                  {@code byte[65536]}
     * @return its counters, or empty if that class is not pooled (or not loaded yet), or no pooled site made an
     *         array of that type and length yet
     */
    public Optional<PoolStats> pool(String className) {
        return pools.stream().filter(p -> p.className().equals(className)).findFirst();
    }

    /** Returns the sum of {@link PoolStats#acquired()} over all pools. */
    public long acquired() {
        return pools.stream().mapToLong(PoolStats::acquired).sum();
    }

    /** Returns the sum of {@link PoolStats#reused()} over all pools. */
    public long reused() {
        return pools.stream().mapToLong(PoolStats::reused).sum();
    }

    /** Returns the sum of {@link PoolStats#allocated()} over all pools. */
    public long allocated() {
        return pools.stream().mapToLong(PoolStats::allocated).sum();
    }

    /** Returns the sum of {@link PoolStats#released()} over all pools. */
    public long released() {
        return pools.stream().mapToLong(PoolStats::released).sum();
    }

    /** Returns the sum of {@link PoolStats#dropped()} over all pools. */
    public long dropped() {
        return pools.stream().mapToLong(PoolStats::dropped).sum();
    }

    /** Returns the sum of {@link PoolStats#evicted()} over all pools. */
    public long evicted() {
        return pools.stream().mapToLong(PoolStats::evicted).sum();
    }

    /** Returns reused / acquired over all pools, or 0 when nothing was acquired. */
    public double hitRatio() {
        long acquired = acquired();
        return acquired == 0 ? 0.0 : (double) reused() / acquired;
    }
}
