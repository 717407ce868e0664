package dev.shelf.internal;

import dev.shelf.ShelfStats;
import dev.shelf.internal.observe.RuntimeLog;
import dev.shelf.internal.pool.IdleBudget;
import dev.shelf.internal.pool.Pools;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Creates and finds the pool of a class, and holds the agent's pool settings. Every pool it creates is listed in
 * {@link Pools}, which relays garbage collections to them and is what statistics and observers read.
 *
 * <p>Each transformed {@code @Pooled} class calls {@link #register(Class, int)} first thing in its static
 * initialiser and keeps the returned {@link ClassShelf} in a static final field, so its factory reaches the pool
 * without any lookup, and so does the object's generated release method. A caller that has only an object finds its
 * pool through a {@link ClassValue} ({@link #release(Object)}): a lookup cached on the {@code Class} itself, which is
 * exact (a subclass that is not pooled has no pool, and never lands in its parent's) and keeps no strong reference
 * from this bootstrap-loaded registry to an application class — an undeployed web application's classes stay
 * collectable.
 *
 * <p>{@code register} is called by generated code: its names and descriptors are a contract listed in the agent's
 * {@code RuntimeAbi}.
 */
public final class ShelfRegistry {

    /** Used when neither the agent nor the class sets a per-thread capacity. */
    public static final int DEFAULT_CAPACITY = 64;

    /** Used when neither the agent nor the class sets the shared depot's capacity. */
    public static final int DEFAULT_MAX_SHARED = 256;

    private static volatile boolean active;
    private static volatile int defaultCapacity = DEFAULT_CAPACITY;
    private static volatile int defaultMaxShared = DEFAULT_MAX_SHARED;
    private static volatile boolean gcWatched;

    /** Hand-over from {@link #register} to {@link #SHELVES}: a ClassValue computes, it cannot be put into. */
    private static final Map<Class<?>, ClassShelf> PENDING = new ConcurrentHashMap<>();

    private static final ClassValue<ClassShelf> SHELVES = new ClassValue<>() {
        @Override
        protected @Nullable ClassShelf computeValue(Class<?> type) {
            return PENDING.remove(type);
        }
    };

    private ShelfRegistry() {
    }

    /**
     * Called once by the agent's premain, before any class is transformed.
     *
     * @param maxPerThread the configured {@code shelf.pool.maxPerThread}, at least 1
     * @param maxShared    the configured {@code shelf.pool.maxShared}, at least 0
     * @param evictOnGc    {@code shelf.eviction=gc}: drop objects idle across two collections, and all of them under
     *                     memory pressure; {@code false} for {@code shelf.eviction=none}
     */
    public static synchronized void activate(int maxPerThread, int maxShared, boolean evictOnGc) {
        if (maxPerThread <= 0) {
            throw new IllegalArgumentException("maxPerThread must be positive, was " + maxPerThread);
        }
        if (maxShared < 0) {
            throw new IllegalArgumentException("maxShared must not be negative, was " + maxShared);
        }
        defaultCapacity = maxPerThread;
        defaultMaxShared = maxShared;
        if (evictOnGc && !gcWatched) {
            gcWatched = true;
            Pools.evictOnGc();
        }
        active = true;
    }

    /**
     * {@link #activate(int, int, boolean)}, with the byte bounds.
     *
     * @param maxPerThread     the configured {@code shelf.pool.maxPerThread}, at least 1
     * @param maxShared        the configured {@code shelf.pool.maxShared}, at least 0
     * @param evictOnGc        {@code shelf.eviction=gc}
     * @param maxRetainedBytes {@code shelf.pool.maxRetainedBytes}: an owned container estimated above this when its
     *                         object is released is let go and made anew
     * @param maxIdleBytes     {@code shelf.pool.maxIdleBytes}: the estimated bytes idle objects may hold, all pools
     *                         together; negative for a share of the maximum heap in hundredths of a percent
     */
    public static synchronized void activate(int maxPerThread, int maxShared, boolean evictOnGc, long maxRetainedBytes,
                                             long maxIdleBytes) {
        activate(maxPerThread, maxShared, evictOnGc);
        Reuse.maxRetainedBytes(Math.max(0, maxRetainedBytes));
        IdleBudget.limit(maxIdleBytes >= 0 ? maxIdleBytes
                : (long) (Runtime.getRuntime().maxMemory() * (-maxIdleBytes / 10_000.0)));
    }

    /**
     * {@link #activate(int, int, boolean)} with the default depot size and GC eviction on.
     *
     * @param maxPerThread the configured {@code shelf.pool.maxPerThread}
     */
    public static void activate(int maxPerThread) {
        activate(maxPerThread, DEFAULT_MAX_SHARED, true);
    }

    /** Returns the per-thread capacity of pools that set none ({@code shelf.pool.maxPerThread}). */
    public static int defaultCapacity() {
        return defaultCapacity;
    }

    /** Returns the shared depot capacity of pools that set none ({@code shelf.pool.maxShared}). */
    public static int defaultMaxShared() {
        return defaultMaxShared;
    }

    /** Returns whether the agent activated pooling in this JVM. */
    public static boolean isActive() {
        return active;
    }

    /**
     * Creates the pool of {@code type}, reading {@code @Pooled(maxShared)} from the class. For pools not made by the
     * agent (tests, hand-written pooled classes); the agent's generated code passes both values as constants.
     *
     * @param type         the pooled class
     * @param maxPerThread {@code @Pooled(maxPerThread)}, or 0 for the configured default
     * @return the class's pool
     */
    public static ClassShelf register(Class<?> type, int maxPerThread) {
        return register(type, maxPerThread, annotatedMaxShared(type));
    }

    /**
     * Creates the pool of {@code type}. Called from the static initialiser the agent prepends to every pooled class,
     * with the annotation's values read from the class file: reading them here, reflectively, would make the JDK
     * generate an annotation proxy class on the application's thread (~10 ms at start-up, docs/startup.md).
     *
     * @param type         the pooled class
     * @param maxPerThread {@code @Pooled(maxPerThread)}, or 0 for the configured default
     * @param maxShared    {@code @Pooled(maxShared)}, or -1 for the configured default
     * @return the class's pool
     */
    public static ClassShelf register(Class<?> type, int maxPerThread, int maxShared) {
        return register(type, maxPerThread, maxShared, "");
    }

    /**
     * {@link #register(Class, int, int)}, with what the agent found the constructors allocate into fields.
     *
     * @param type         the pooled class
     * @param maxPerThread {@code @Pooled(maxPerThread)}, or 0 for the configured default
     * @param maxShared    {@code @Pooled(maxShared)}, or -1 for the configured default
     * @param fields       what the constructors allocate into fields, as the agent found it, one line each:
     *                     {@code kept TAB field TAB estimated bytes} for an owned primitive array of constant length
     *                     (the size estimate), {@code remade TAB field TAB estimated bytes or -1 TAB reason} for an
     *                     array or container reuse makes anew (the exit report's advisory)
     * @return the class's pool
     */
    public static ClassShelf register(Class<?> type, int maxPerThread, int maxShared, String fields) {
        ClassShelf shelf = new ClassShelf(type, maxPerThread > 0 ? maxPerThread : defaultCapacity,
                maxShared >= 0 ? maxShared : defaultMaxShared, fields);
        PENDING.put(type, shelf);
        ClassShelf bound = SHELVES.get(type);
        PENDING.remove(type);
        if (bound == null) {
            // Only possible if something asked for this class's pool before its static initialiser ran: that
            // lookup cached "no pool", so objects of this class are simply never reused. Say so instead of hiding it.
            RuntimeLog.warn(type.getName()
                    + ": pool lookup happened before the class was initialised; its objects will not be reused");
            return shelf;
        }
        Pools.add(type, bound); // statistics, GC trimming, observers (JMX bean, JFR events, exit report); never throws
        return bound;
    }

    /**
     * {@code @Pooled(maxShared)}, read by annotation name: the class may see another copy of {@code dev.shelf.Pooled}
     * than this bootstrap-loaded registry (an application bundling an older runtime, a child-first loader).
     *
     * @return the annotated value, or -1 when it is absent or unreadable
     */
    static int annotatedMaxShared(Class<?> type) {
        try {
            for (Annotation a : type.getDeclaredAnnotations()) {
                Class<? extends Annotation> at = a.annotationType();
                if (at.getName().equals("dev.shelf.Pooled")) {
                    Object value = at.getMethod("maxShared").invoke(a);
                    return value instanceof Integer n ? n : -1;
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // An older Pooled without maxShared, or an annotation that cannot be read: the configured default.
        }
        return -1;
    }

    /**
     * Returns {@code o} to its class's pool, if that class has one, as an object of no particular site. For callers
     * that have an object but not its generated members (hand-written pooled classes, tests); a transformed object
     * releases itself into its pool directly ({@link Recyclable#$shelf$release()}).
     *
     * @param o a non-null object
     */
    public static void release(Object o) {
        if (!active) {
            return;
        }
        ClassShelf shelf = SHELVES.get(o.getClass());
        if (shelf != null) {
            shelf.release(o);
        }
    }

    /** Returns every live pool's counters, sorted by class name. */
    public static ShelfStats snapshot() {
        return new ShelfStats(active, Pools.stats());
    }
}
