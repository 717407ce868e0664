package dev.shelf.internal.pool;

import dev.shelf.internal.observe.RuntimeLog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happens to a second release of an object (or pooled array) that is already released.
 *
 * <p>Pooling it again would put one object on a shelf twice, and two later {@code new}s would both get it — the
 * cross-request bleed Shelf exists to prevent. So the second release never reaches a pool (the object's own
 * compare-and-set refuses it, or an array's ledger ticket's); here it is only counted, and reported once per class
 * (per array type and length) so that the bug is found without
 * flooding the log of a service that hits it on every request.
 */
public final class DoubleRelease {

    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    private DoubleRelease() {
    }

    /**
     * Records a refused second release of a pooled object.
     *
     * @param o the object released twice
     */
    public static void report(Object o) {
        report(o.getClass().getName(), false);
    }

    /**
     * Records a refused second release.
     *
     * @param pool  the pool's name: the class's binary name, or an array pool's, {@code byte[65536]}
     * @param array whether the pool is one of arrays
     */
    public static void report(String pool, boolean array) {
        LongAdder count = COUNTS.get(pool);
        if (count == null) {
            LongAdder fresh = new LongAdder();
            count = COUNTS.putIfAbsent(pool, fresh);
            if (count == null) {
                count = fresh;
                String what = array ? "array" : "object";
                RuntimeLog.warn("double release of a " + pool + " ignored: it was already released "
                        + "and is not pooled twice; release each " + what + " once (further double releases of this "
                        + (array ? "array type and length" : "class") + " are only counted, see Shelf.stats())");
            }
        }
        count.increment();
    }

    /**
     * Returns how many double releases of that pool were refused so far.
     *
     * @param className a pooled class's binary name, or an array pool's name
     */
    public static long count(String className) {
        LongAdder c = COUNTS.get(className);
        return c == null ? 0 : c.sum();
    }
}
