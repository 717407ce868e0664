package dev.shelf.internal.pool;

import dev.shelf.internal.observe.RuntimeLog;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns garbage collections into one call per collection, with a verdict on memory pressure, by watching a
 * sentinel: an object nothing references but a {@link WeakReference} registered with a queue. The first collection
 * that looks at it clears the reference and the JVM's reference handler puts it on the queue; this watch's thread
 * wakes up, arms a new sentinel and reports the collection.
 *
 * <p><b>Why a sentinel rather than the platform's GC notifications.</b> Listening to the collector MXBeans'
 * notifications needs {@code java.management}: installing the listener loads ~190 classes (~40 ms in the
 * interpreter, measured in {@code docs/startup.md}), and once a listener exists the JDK builds a {@code GcInfo}
 * open-data structure (maps of memory usage per pool, before and after) on its notification thread after every
 * collection, forever. The sentinel costs one small object per collection and a thread that sleeps on a queue; it
 * needs nothing outside {@code java.base}, so eviction also works in a {@code jlink}ed runtime without
 * {@code java.management}. It is how Go's {@code sync.Pool} learns of collections too: from the collector itself,
 * not from monitoring.
 *
 * <p><b>What counts as a collection.</b> Any collection that processes references where the sentinel lives: a new
 * sentinel is allocated in the young generation, so every young collection clears it, and so does every full or
 * concurrent cycle (G1, Parallel, Serial, ZGC, Shenandoah). A concurrent cycle's several pauses count once, because
 * the sentinel is cleared once. Two collections that complete before this thread re-arms (microseconds after it
 * wakes) count as one: an idle object then survives one cycle longer, nothing worse.
 *
 * <p><b>Pressure.</b> The heap is under pressure when, right after a collection, it is still at least
 * {@link #PRESSURE} full (used, {@code totalMemory - freeMemory}, against {@code -Xmx}). A collection that leaves
 * the heap that full did not free enough; pooled idle objects are then the cheapest memory to give back — .NET's
 * {@code ArrayPool} trims on the same signal.
 */
final class GcWatch implements Runnable {

    /** Fraction of the maximum heap still in use after a collection above which pooled objects are all dropped. */
    static final double PRESSURE = 0.90;

    private final ReferenceQueue<Object> cleared = new ReferenceQueue<>();
    private final Consumer<Boolean> onGc;
    /** The armed sentinel's reference. Must be held strongly, or the reference itself would be collected. */
    @SuppressWarnings("UnusedVariable") // held, never read: see above
    private @Nullable WeakReference<Object> armed;

    private GcWatch(Consumer<Boolean> onGc) {
        this.onGc = onGc;
    }

    /**
     * Starts watching on a daemon thread, {@code shelf-gc-watch}, that owns nothing of the caller's (no context class
     * loader, no inherited thread locals).
     *
     * @param onGc called once per collection, on that thread, with {@code true} when the heap is under pressure
     * @return the watching thread
     */
    static Thread start(Consumer<Boolean> onGc) {
        GcWatch watch = new GcWatch(onGc);
        watch.arm(); // before start() returns: a collection right after activation is not missed
        Thread t = new Thread(null, watch, "shelf-gc-watch", 0, false);
        t.setDaemon(true);
        t.setContextClassLoader(null);
        t.start();
        return t;
    }

    private void arm() {
        armed = new WeakReference<>(new Object(), cleared);
    }

    @Override
    public void run() {
        while (true) {
            try {
                cleared.remove();
            } catch (InterruptedException e) {
                return; // nobody interrupts this thread but the JVM going down
            }
            boolean pressure = underPressure();
            arm();
            try {
                onGc.accept(pressure);
            } catch (RuntimeException | Error e) {
                // Trimming must never stop for good because one pool failed once; report and keep watching.
                RuntimeLog.warnOnce("gc-watch", "trimming pools after a garbage collection failed (" + e
                        + "); Shelf keeps watching collections");
            }
        }
    }

    /** Returns whether the heap is still at least {@link #PRESSURE} full. */
    static boolean underPressure() {
        Runtime rt = Runtime.getRuntime();
        return underPressure(rt.totalMemory() - rt.freeMemory(), rt.maxMemory());
    }

    /**
     * Returns whether {@code used} is at least {@link #PRESSURE} of a bounded {@code max}.
     *
     * @param used bytes of heap in use
     * @param max  the maximum heap, {@code Long.MAX_VALUE} when unbounded
     */
    static boolean underPressure(long used, long max) {
        return max != Long.MAX_VALUE && max > 0 && used >= PRESSURE * max;
    }
}
