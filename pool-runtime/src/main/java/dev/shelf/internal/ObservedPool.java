package dev.shelf.internal;

import dev.shelf.ShelfStats;

import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * What JMX, JFR and the exit report know about one registered pool: its names and, weakly, the pool and its class.
 *
 * <p>Everything here is reachable from the bootstrap-loaded {@link Observability} (and, through a pool's MXBean, from
 * the platform MBean server) for the life of the JVM, so it must not keep an undeployed application alive: the pool
 * and the class are held weakly, and the class loader only by a description. Once the class is gone,
 * {@link #isLive()} turns {@code false} and observers drop this entry.
 */
final class ObservedPool {

    private final WeakReference<ClassShelf> shelf;
    private final WeakReference<Class<?>> type;
    private final String className;
    private final String loader;
    /** Computed on first use (the exit report, a JMX read), never on the registration path: it reflects on the declared fields. */
    private volatile @Nullable SizeEstimate size;

    ObservedPool(Class<?> type, ClassShelf shelf) {
        this.shelf = new WeakReference<>(shelf);
        this.type = new WeakReference<>(type);
        this.className = type.getName();
        this.loader = describe(type.getClassLoader());
    }

    /**
     * A loader as operators can recognise it and as it can be told apart from another with the same name:
     * {@code bootstrap}, or the loader's name (its class name when unnamed) and its identity hash, e.g.
     * {@code app@1b6d3586}.
     *
     * @param l a class loader, {@code null} for the bootstrap loader
     * @return its description
     */
    static String describe(@Nullable ClassLoader l) {
        if (l == null) {
            return "bootstrap";
        }
        String name = l.getName();
        return (name != null ? name : l.getClass().getName()) + "@" + Integer.toHexString(System.identityHashCode(l));
    }

    /** Returns the pooled class's binary name. */
    String className() {
        return className;
    }

    /** Returns a description of the pooled class's loader (see {@link #describe(ClassLoader)}). */
    String loader() {
        return loader;
    }

    /** Returns the pool, or {@code null} once its class was unloaded. */
    @Nullable ClassShelf shelf() {
        return shelf.get();
    }

    /** Returns whether the pool still exists. */
    boolean isLive() {
        return shelf.get() != null;
    }

    /** Returns the pool's counters now, or {@code null} once its class was unloaded. */
    ShelfStats.@Nullable PoolStats stats() {
        ClassShelf s = shelf.get();
        return s == null ? null : s.snapshot();
    }

    /** Returns refused second releases of objects of this class's name (counted per name, not per loader). */
    long doubleReleases() {
        return DoubleRelease.count(className);
    }

    /** Returns the estimated size of one object of this class, or {@code null} once the class is gone. */
    @Nullable SizeEstimate size() {
        SizeEstimate s = size;
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
        ClassShelf pool = shelf.get();
        long seen = pool == null ? 0 : pool.ownedBytesSeen();
        return seen > s.ownedArrays() ? s.withOwned(seen) : s;
    }

    /** Returns the fields reuse makes anew, as the agent found them ({@link ClassShelf#remade()}). */
    String remade() {
        ClassShelf pool = shelf.get();
        return pool == null ? "" : pool.remade();
    }
}
