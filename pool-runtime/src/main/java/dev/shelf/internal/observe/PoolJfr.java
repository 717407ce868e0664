package dev.shelf.internal.observe;

import dev.shelf.ShelfStats;
import dev.shelf.internal.pool.ClassPool;
import dev.shelf.internal.pool.Pools;
import dev.shelf.internal.pool.RegisteredPool;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * Shelf's JDK Flight Recorder events: {@code dev.shelf.PoolStatistics} every second per pool, and
 * {@code dev.shelf.PoolEviction} when a garbage collection finds that a pool let idle objects go.
 *
 * <p><b>Nothing happens until JFR does.</b> Loading an event class makes the JDK set up its JFR machinery, which costs
 * the better part of a second of start-up when no recording exists (measured on JDK 17 and 25 alike). So the events
 * are registered only once {@link FlightRecorder#isInitialized()} says a recording was started (by
 * {@code -XX:StartFlightRecording}, {@code jcmd JFR.start} or the {@code jdk.jfr} API); that check is a field read.
 * It is made when a pool is registered and after each garbage collection, so a recording started at any time picks
 * Shelf up within one collection. Until then no event class is touched.
 *
 * <p><b>Optional module.</b> A runtime image made with {@code jlink} may lack {@code jdk.jfr}; this class then fails to
 * link and {@link Observability} stops calling it, silently: without JFR nothing could record the events anyway.
 */
final class PoolJfr {

    /** Whether the events are registered with the flight recorder. */
    private static volatile boolean installed;
    /** Whether a thread was started to install them (from a place where installing inline is not allowed). */
    private static boolean installing;

    /** Each pool's evicted count at the previous collection, so that an event reports what this one let go. */
    private static final Map<ClassPool, Long> EVICTED_BEFORE = Collections.synchronizedMap(new WeakHashMap<>());

    private PoolJfr() {
    }

    /**
     * Registers the events if a recording was ever started. Must not be called while holding a pool's lock: the
     * flight recorder's periodic thread takes pool locks (through snapshots) and this takes the recorder's.
     */
    static void installIfRecording() {
        if (installed || !FlightRecorder.isInitialized()) {
            return;
        }
        synchronized (PoolJfr.class) {
            if (!installed) {
                FlightRecorder.register(PoolEvictionEvent.class);
                FlightRecorder.addPeriodicEvent(PoolStatisticsEvent.class, PoolJfr::emitStatistics);
                installed = true;
            }
        }
    }

    /** Returns whether the events are registered. */
    static boolean installed() {
        return installed;
    }

    /**
     * A garbage collection finished and {@code shelf} has dropped what it drops: report the objects it let go of since
     * the previous collection. Called with the pool's lock held (from {@code ClassPool.onGc}).
     *
     * <p>The count is the change of the pool's {@code evicted} counter between two collections. Objects a thread's
     * stack drops are counted when that thread next touches the pool (see {@link ThreadShelf}), so they appear in the
     * event of the collection after. The first collection a recording sees only sets the starting point.
     *
     * @param shelf    the pool
     * @param pressure whether the collection left the heap nearly full (every idle object was dropped)
     */
    static void collected(ClassPool shelf, boolean pressure) {
        if (!installed) {
            if (FlightRecorder.isInitialized()) {
                installSoon(); // not here: this thread holds the pool's lock
            }
            return;
        }
        ShelfStats.PoolStats s = shelf.snapshot();
        Long before = EVICTED_BEFORE.put(shelf, s.evicted());
        if (before == null || s.evicted() <= before) {
            return;
        }
        PoolEvictionEvent e = new PoolEvictionEvent();
        if (e.shouldCommit()) {
            e.pooledClass = s.className();
            e.classLoader = Observability.loaderOf(shelf);
            e.evicted = s.evicted() - before;
            e.memoryPressure = pressure;
            e.reason = pressure ? "memory pressure: the heap was still nearly full after the collection, every idle "
                    + "object was dropped" : "idle across two collections, or left behind by a thread that ended";
            e.idleAfter = s.idle();
            e.commit();
        }
    }

    @SuppressWarnings("removal") // AccessController: the thread must inherit no application protection domain
    private static synchronized void installSoon() {
        if (installing) {
            return;
        }
        installing = true;
        Thread t = AccessController.doPrivileged((PrivilegedAction<Thread>) () -> new Thread(null, () -> {
            try {
                installIfRecording();
            } catch (RuntimeException | LinkageError e) {
                RuntimeLog.warnOnce("jfr", "cannot register Shelf's JFR events (" + e + "); recordings will "
                        + "not contain them, pooling is unaffected");
            }
        }, "shelf-jfr", 0, false));
        t.setDaemon(true);
        t.setContextClassLoader(null);
        t.start();
    }

    private static void emitStatistics() {
        for (RegisteredPool p : Pools.live()) {
            PoolStatisticsEvent e = new PoolStatisticsEvent();
            if (!e.shouldCommit()) {
                return;
            }
            ShelfStats.PoolStats s = p.stats();
            if (s == null) {
                continue;
            }
            e.pooledClass = p.className();
            e.classLoader = p.loader();
            e.capacity = s.capacity();
            e.sharedCapacity = s.sharedCapacity();
            e.acquired = s.acquired();
            e.reused = s.reused();
            e.allocated = s.allocated();
            e.released = s.released();
            e.dropped = s.dropped();
            e.idle = s.idle();
            e.evicted = s.evicted();
            e.doubleReleases = p.doubleReleases();
            e.hitRatio = s.hitRatio();
            e.commit();
        }
    }

    /** The counters of one pool, every second (cumulative since start; a consumer subtracts for rates). */
    @Name("dev.shelf.PoolStatistics")
    @Label("Shelf Pool Statistics")
    @Category("Shelf")
    @Description("Counters of one Shelf pool (one @Pooled class, or one pooled array type and length such as "
            + "byte[65536]), cumulative since the JVM started")
    @Period("1 s")
    @StackTrace(false)
    static final class PoolStatisticsEvent extends Event {
        @Label("Pooled Class")
        @Description("The pooled class's binary name, or a pool of arrays' type and length, e.g. byte[65536]")
        @Nullable String pooledClass;
        @Label("Class Loader")
        @Nullable String classLoader;
        @Label("Capacity per Thread")
        int capacity;
        @Label("Shared Capacity")
        int sharedCapacity;
        @Label("Acquired")
        @Description("Rewritten new calls served: reused + allocated")
        long acquired;
        @Label("Reused")
        long reused;
        @Label("Allocated")
        long allocated;
        @Label("Released")
        long released;
        @Label("Dropped")
        @Description("Releases dropped because the pool was full")
        long dropped;
        @Label("Idle")
        long idle;
        @Label("Evicted")
        long evicted;
        @Label("Double Releases")
        long doubleReleases;
        @Label("Hit Ratio")
        @Percentage
        double hitRatio;
    }

    /** Idle objects a pool let go of, reported at the garbage collection that noticed. */
    @Name("dev.shelf.PoolEviction")
    @Label("Shelf Pool Eviction")
    @Category("Shelf")
    @Description("Idle pooled objects dropped since the previous garbage collection")
    @StackTrace(false)
    static final class PoolEvictionEvent extends Event {
        @Label("Pooled Class")
        @Description("The pooled class's binary name, or a pool of arrays' type and length, e.g. byte[65536]")
        @Nullable String pooledClass;
        @Label("Class Loader")
        @Nullable String classLoader;
        @Label("Evicted")
        long evicted;
        @Label("Memory Pressure")
        boolean memoryPressure;
        @Label("Reason")
        @Nullable String reason;
        @Label("Idle After")
        long idleAfter;
    }
}
