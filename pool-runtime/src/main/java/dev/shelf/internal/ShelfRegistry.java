package dev.shelf.internal;

import dev.shelf.ShelfStats;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Finds the pool of a class, and knows whether the agent is running.
 *
 * <p>Each transformed {@code @Pooled} class calls {@link #register(Class, int)} first thing in its static
 * initialiser and keeps the returned {@link ClassShelf} in a static field, so its factory reaches the pool without
 * any lookup. {@link dev.shelf.Shelf#release(Object)} only has the object, so it finds the pool through a
 * {@link ClassValue}: a lookup cached on the {@code Class} itself, which is exact (a subclass that is not pooled
 * has no pool, and never lands in its parent's) and keeps no strong reference from this bootstrap-loaded registry
 * to an application class — an undeployed web application's classes stay collectable.
 */
public final class ShelfRegistry {

    /** Used when neither the agent nor the class sets a capacity. */
    public static final int DEFAULT_CAPACITY = 64;

    private static volatile boolean active;
    private static volatile int defaultCapacity = DEFAULT_CAPACITY;

    /** Hand-over from {@link #register} to {@link #SHELVES}: a ClassValue computes, it cannot be put into. */
    private static final Map<Class<?>, ClassShelf> PENDING = new ConcurrentHashMap<>();

    private static final ClassValue<ClassShelf> SHELVES = new ClassValue<>() {
        @Override
        protected ClassShelf computeValue(Class<?> type) {
            return PENDING.remove(type);
        }
    };

    /** Every pool, weakly: statistics must not keep a pooled class (and its class loader) alive. */
    private static final List<WeakReference<ClassShelf>> ALL = new CopyOnWriteArrayList<>();

    private ShelfRegistry() {
    }

    /**
     * Called once by the agent's premain, before any class is transformed.
     *
     * @param capacity the configured {@code shelf.pool.maxPerThread}
     */
    public static void activate(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        defaultCapacity = capacity;
        active = true;
    }

    /** @return whether the agent activated pooling in this JVM */
    public static boolean isActive() {
        return active;
    }

    /**
     * Creates the pool of {@code type}. Called from the static initialiser the agent prepends to every pooled class.
     *
     * @param type         the pooled class
     * @param maxPerThread {@code @Pooled(maxPerThread)}, or 0 for the configured default
     * @return the class's pool
     */
    public static ClassShelf register(Class<?> type, int maxPerThread) {
        ClassShelf shelf = new ClassShelf(type.getName(), maxPerThread > 0 ? maxPerThread : defaultCapacity);
        PENDING.put(type, shelf);
        ClassShelf bound = SHELVES.get(type);
        PENDING.remove(type);
        if (bound == null) {
            // Only possible if something asked for this class's pool before its static initialiser ran: that
            // lookup cached "no pool", so objects of this class are simply never reused. Say so instead of hiding it.
            System.err.println("[shelf] WARN " + type.getName()
                    + ": pool lookup happened before the class was initialised; its objects will not be reused");
            return shelf;
        }
        ALL.add(new WeakReference<>(bound));
        return bound;
    }

    /**
     * Returns {@code o} to its class's pool, if that class has one.
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

    /** @return every live pool's counters, sorted by class name */
    public static ShelfStats snapshot() {
        List<ShelfStats.PoolStats> pools = new ArrayList<>();
        for (WeakReference<ClassShelf> ref : ALL) {
            ClassShelf shelf = ref.get();
            if (shelf == null) {
                ALL.remove(ref);
            } else {
                pools.add(shelf.snapshot());
            }
        }
        pools.sort(Comparator.comparing(ShelfStats.PoolStats::className));
        return new ShelfStats(active, pools);
    }
}
