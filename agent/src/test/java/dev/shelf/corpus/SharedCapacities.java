package dev.shelf.corpus;

import dev.shelf.Pooled;

/** {@code @Pooled(maxShared)} values: one the agent passes to the pool, two it refuses. */
public final class SharedCapacities {

    private SharedCapacities() {
    }

    /** A shared depot of exactly three objects. */
    @Pooled(maxShared = 3)
    public static class ThreeShared {
        public int used;
    }

    /** Refused: -1 is the only negative value (the configured default). */
    @Pooled(maxShared = -2)
    public static class NegativeShared {
        public int used;
    }

    /** Refused: a per-thread capacity cannot be negative. */
    @Pooled(maxPerThread = -1)
    public static class NegativePerThread {
        public int used;
    }
}
