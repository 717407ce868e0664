package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;
import dev.shelf.internal.observe.Observability;
import dev.shelf.internal.observe.PoolListener;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * Every registered pool, of a class or of an array type and length: the one list that garbage-collection trimming,
 * statistics ({@code Shelf.stats()}) and the observers (JMX, JFR, the exit report, the site watch) read.
 * {@code ShelfRegistry} and {@link ArrayPools} add each pool they create; the {@link PoolListener} hears of it, and of
 * each collection a pool handled.
 *
 * <p>Entries hold their pool and class weakly ({@link RegisteredPool}): nothing here keeps a pooled class, or the
 * class loader of an undeployed application, alive. Entries whose class was unloaded are dropped as the list is read.
 */
public final class Pools {

    /** The observers; the pool core tells them through this interface only. */
    static final PoolListener OBSERVERS = Observability.listener();

    private static final List<RegisteredPool> ALL = new CopyOnWriteArrayList<>();

    private Pools() {
    }

    /**
     * Lists a newly created pool and tells the observers. Called from the pooled class's static initialiser; never
     * throws.
     *
     * @param type the pooled class
     * @param pool its pool
     */
    public static void add(Class<?> type, ClassPool pool) {
        RegisteredPool entry = new RegisteredPool(type, pool);
        ALL.add(entry);
        OBSERVERS.registered(entry);
    }

    /**
     * Lists a newly created pool of arrays ({@link ArrayPools}) and tells the observers; never throws.
     *
     * @param arrayType the array type, {@code byte[].class}
     * @param pool      the pool of one length, named by {@link ClassPool#className()} ({@code byte[65536]})
     */
    static void addArray(Class<?> arrayType, ClassPool pool) {
        RegisteredPool entry = new RegisteredPool(arrayType, pool, pool.className());
        ALL.add(entry);
        OBSERVERS.registered(entry);
    }

    /**
     * Starts trimming every pool after garbage collections: drop objects idle across two collections, and all of
     * them under memory pressure. Called once, by the agent's activation.
     */
    public static void evictOnGc() {
        // An anonymous class, not a method reference: the JVM's first lambda costs tens of milliseconds of start-up
        // (LambdaMetafactory spinning classes in the interpreter), and this runs in premain.
        GcWatch.start(new java.util.function.Consumer<Boolean>() {
            @Override
            public void accept(Boolean pressure) {
                collected(pressure);
            }
        });
    }

    /**
     * A garbage collection finished. Called by {@link GcWatch}; tests call it to stand in for the collector.
     *
     * @param pressure whether the heap was still nearly full afterwards
     */
    static void collected(boolean pressure) {
        for (RegisteredPool entry : ALL) {
            ClassPool pool = entry.pool();
            if (pool != null) {
                pool.onGc(pressure);
            }
        }
        ALL.removeIf(entry -> !entry.isLive()); // its class was unloaded
    }

    /** Returns every live pool, in registration order; drops those whose class was unloaded. */
    public static List<RegisteredPool> live() {
        List<RegisteredPool> live = new ArrayList<>();
        boolean dead = false;
        for (RegisteredPool entry : ALL) {
            if (entry.isLive()) {
                live.add(entry);
            } else {
                dead = true;
            }
        }
        if (dead) {
            ALL.removeIf(entry -> !entry.isLive());
        }
        return live;
    }

    /** Returns every live pool's counters, sorted by class name. */
    public static List<ShelfStats.PoolStats> stats() {
        List<ShelfStats.PoolStats> pools = new ArrayList<>();
        for (RegisteredPool entry : live()) {
            ShelfStats.PoolStats s = entry.stats();
            if (s != null) {
                pools.add(s);
            }
        }
        pools.sort(Comparator.comparing(ShelfStats.PoolStats::className));
        return pools;
    }

    /**
     * Returns a pool's entry in the list.
     *
     * @param pool a pool
     * @return its entry, or {@code null} if it is not listed (not registered, or its class was unloaded)
     */
    public static @Nullable RegisteredPool entryOf(ClassPool pool) {
        for (RegisteredPool entry : ALL) {
            if (entry.pool() == pool) {
                return entry;
            }
        }
        return null;
    }

    /**
     * Returns a class's pool.
     *
     * @param type a class
     * @return its pool, or {@code null} when it has none listed (not pooled, or not initialised yet)
     */
    static @Nullable ClassPool of(Class<?> type) {
        for (RegisteredPool entry : ALL) {
            if (entry.type() == type && !entry.isArray()) {
                return entry.pool();
            }
        }
        return null;
    }
}
