package dev.shelf;

import java.util.List;
import java.util.Optional;

/**
 * Counters of every pool at one moment. Obtained from {@link Shelf#stats()}.
 *
 * @param active whether the agent was running when the snapshot was taken
 * @param pools  one entry per pooled class, sorted by class name
 */
public record ShelfStats(boolean active, List<PoolStats> pools) {

    /**
     * Counters of one pooled class.
     *
     * @param className the pooled class's binary name
     * @param capacity  how many idle objects one thread may keep
     * @param acquired  rewritten {@code new} calls served (reused + allocated)
     * @param reused    of those, served by re-initialising an idle object (hits)
     * @param allocated of those, served by a real allocation because no idle object was at hand (misses)
     * @param released  {@link Shelf#release(Object)} calls that reached this pool
     * @param dropped   releases that found the thread's pool full; the object became garbage
     * @param idle      objects waiting in pools right now (approximate under traffic)
     */
    public record PoolStats(String className, int capacity, long acquired, long reused, long allocated,
                            long released, long dropped, long idle) {

        /**
         * The share of acquisitions served from the pool.
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
     * Looks up one class's counters.
     *
     * @param className the binary name, as {@link Class#getName()} gives it
     * @return its counters, or empty if that class is not pooled (or not loaded yet)
     */
    public Optional<PoolStats> pool(String className) {
        return pools.stream().filter(p -> p.className().equals(className)).findFirst();
    }

    /** @return the sum of {@link PoolStats#acquired()} over all pools */
    public long acquired() {
        return pools.stream().mapToLong(PoolStats::acquired).sum();
    }

    /** @return the sum of {@link PoolStats#reused()} over all pools */
    public long reused() {
        return pools.stream().mapToLong(PoolStats::reused).sum();
    }

    /** @return the sum of {@link PoolStats#allocated()} over all pools */
    public long allocated() {
        return pools.stream().mapToLong(PoolStats::allocated).sum();
    }

    /** @return the sum of {@link PoolStats#released()} over all pools */
    public long released() {
        return pools.stream().mapToLong(PoolStats::released).sum();
    }

    /** @return the sum of {@link PoolStats#dropped()} over all pools */
    public long dropped() {
        return pools.stream().mapToLong(PoolStats::dropped).sum();
    }

    /** @return reused / acquired over all pools, or 0 when nothing was acquired */
    public double hitRatio() {
        long acquired = acquired();
        return acquired == 0 ? 0.0 : (double) reused() / acquired;
    }
}
