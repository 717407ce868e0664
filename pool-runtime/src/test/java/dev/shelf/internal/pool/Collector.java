package dev.shelf.internal.pool;

/** Lets tests of other packages stand in for the garbage collector, as this package's tests call {@code onGc}. */
public final class Collector {

    private Collector() {
    }

    /**
     * One collection, as the GC watch reports it to {@code pool}.
     *
     * @param pool     the pool
     * @param pressure whether the heap was still nearly full afterwards
     */
    public static void collected(ClassPool pool, boolean pressure) {
        pool.onGc(pressure);
    }
}
