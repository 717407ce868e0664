package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;

import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@link Pools}: a registered pool as statistics, trimming and the observers (JMX, JFR, the exit report)
 * see it — its names and, weakly, the pool and its class.
 *
 * <p>Everything here is reachable from the bootstrap-loaded {@link Pools} (and, through a pool's MXBean, from the
 * platform MBean server) for the life of the JVM, so it must not keep an undeployed application alive: the pool and
 * the class are held weakly, and the class loader only by a description. Once the class is gone, {@link #isLive()}
 * turns {@code false} and readers drop this entry.
 */
public final class RegisteredPool {

    private final WeakReference<ClassPool> shelf;
    private final WeakReference<Class<?>> type;
    private final String className;
    private final String loader;
    /** Whether this is a pool of arrays of one type and length rather than of a class's objects. */
    private final boolean array;
    /** Computed on first use (the exit report, a JMX read), never on the registration path: it reflects on the declared fields. */
    private volatile @Nullable SizeEstimate size;

    RegisteredPool(Class<?> type, ClassPool shelf) {
        this(type, shelf, type.getName());
    }

    /**
     * @param type  the pooled class, or the array type of a pool of arrays
     * @param shelf the pool
     * @param name  the pool's name: the class's binary name, or the array type and length, {@code byte[65536]}
     */
    RegisteredPool(Class<?> type, ClassPool shelf, String name) {
        this.shelf = new WeakReference<>(shelf);
        this.type = new WeakReference<>(type);
        this.className = name;
        this.loader = describe(type.getClassLoader());
        this.array = type.isArray();
    }

    /**
     * A loader as operators can recognise it and as it can be told apart from another with the same name:
     * {@code bootstrap}, or the loader's name (its class name when unnamed) and its identity hash, e.g.
     * {@code app@1b6d3586}.
     *
     * @param l a class loader, {@code null} for the bootstrap loader
     * @return its description
     */
    public static String describe(@Nullable ClassLoader l) {
        if (l == null) {
            return "bootstrap";
        }
        String name = l.getName();
        return (name != null ? name : l.getClass().getName()) + "@" + Integer.toHexString(System.identityHashCode(l));
    }

    /** Returns the pooled class's binary name, or a pool of arrays' type and length: {@code byte[65536]}. */
    public String className() {
        return className;
    }

    /** Returns whether this is a pool of arrays ({@link ArrayPools}), named by type and length. */
    public boolean isArray() {
        return array;
    }

    /** Returns a description of the pooled class's loader (see {@link #describe(ClassLoader)}). */
    public String loader() {
        return loader;
    }

    /** Returns the pool, or {@code null} once its class was unloaded. */
    public @Nullable ClassPool pool() {
        return shelf.get();
    }

    /** Returns the pooled class, or {@code null} once it was unloaded. */
    @Nullable Class<?> type() {
        return type.get();
    }

    /** Returns whether the pool still exists. */
    public boolean isLive() {
        return shelf.get() != null;
    }

    /** Returns the pool's counters now, or {@code null} once its class was unloaded. */
    public ShelfStats.@Nullable PoolStats stats() {
        ClassPool s = shelf.get();
        return s == null ? null : s.snapshot();
    }

    /** Returns refused second releases of objects of this class's name (counted per name, not per loader). */
    public long doubleReleases() {
        return DoubleRelease.count(className);
    }

    /**
     * Returns the estimated size of one object of this class.
     *
     * @return the estimated size of one object of this class (exact for a pool of arrays), or {@code null} once the
     *         class is gone
     */
    public @Nullable SizeEstimate size() {
        SizeEstimate s = size;
        if (s == null && array) {
            ClassPool pool = shelf.get();
            if (pool == null) {
                return null;
            }
            // An array owns nothing and is all shell: its size is exact, not estimated from fields.
            s = new SizeEstimate(pool.arrayBytes(), 0, 0, false);
            size = s;
            return s;
        } else if (array) {
            return s;
        }
        if (s == null) {
            Class<?> t = type.get();
            if (t == null) {
                return null;
            }
            s = SizeEstimate.of(t);
            size = s;
        }
        // Owned arrays of computed length (and grown containers) are known only from objects: the pool measures
        // the largest a released object held, on its slow paths.
        ClassPool pool = shelf.get();
        long seen = pool == null ? 0 : pool.ownedBytesSeen();
        return seen > s.ownedArrays() ? s.withOwned(seen) : s;
    }

    /** Returns the fields reuse makes anew, as the agent found them ({@link ClassPool#remade()}). */
    public String remade() {
        ClassPool pool = shelf.get();
        return pool == null ? "" : pool.remade();
    }
}
