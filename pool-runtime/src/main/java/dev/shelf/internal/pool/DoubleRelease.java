package dev.shelf.internal.pool;

import dev.shelf.internal.observe.RuntimeLog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happens to a second release of an object that is already released.
 *
 * <p>Pooling it again would put one object on a shelf twice, and two later {@code new}s would both get it — the
 * cross-request bleed Shelf exists to prevent. So the second release never reaches a pool (the object's own
 * compare-and-set refuses it); here it is only counted, and reported once per class so that the bug is found without
 * flooding the log of a service that hits it on every request.
 */
public final class DoubleRelease {

    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    private DoubleRelease() {
    }

    /**
     * Records a refused second release.
     *
     * @param o the object released twice
     */
    public static void report(Object o) {
        String type = o.getClass().getName();
        LongAdder count = COUNTS.get(type);
        if (count == null) {
            LongAdder fresh = new LongAdder();
            count = COUNTS.putIfAbsent(type, fresh);
            if (count == null) {
                count = fresh;
                RuntimeLog.warn("double release of a " + type + " ignored: it was already released "
                        + "and is not pooled twice; release each object once (further double releases of this class "
                        + "are only counted, see Shelf.stats())");
            }
        }
        count.increment();
    }

    /**
     * Returns how many double releases of that class were refused so far.
     *
     * @param className a pooled class's binary name
     */
    public static long count(String className) {
        LongAdder c = COUNTS.get(className);
        return c == null ? 0 : c.sum();
    }
}
