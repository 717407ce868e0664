package dev.shelf.internal.observe;

/**
 * One pooled class's pool, as JMX shows it: {@code dev.shelf:type=Pool,name=<class binary name>} (for a pool of
 * arrays, its type and length: {@code name=byte[65536]}, {@code name=java.lang.String[16]}), with
 * {@code ,loader=<loader>} added when a pool of a class with the same name from another class loader is already
 * registered. Registered by the agent when the class is initialised (unless {@code shelf.jmx=false}), unregistered
 * after the class is unloaded.
 *
 * <p>Every read takes a fresh snapshot of the pool's counters (see {@link dev.shelf.ShelfStats.PoolStats}): exact
 * when the threads using the pool are quiet, a few operations stale under traffic. After the pooled class was
 * unloaded, and until the bean is unregistered, the counters read 0.
 */
public interface PoolMXBean {

    /** Returns the pooled class's binary name, or a pool of arrays' type and length, {@code byte[65536]}. */
    String getClassName();

    /** Returns the class loader that defined the pooled class, e.g. {@code app@1b6d3586} or {@code bootstrap}. */
    String getClassLoader();

    /** Returns idle objects one platform thread may keep ({@code @Pooled(maxPerThread)} or the default). */
    int getCapacity();

    /** Returns idle objects the shared depot may keep ({@code @Pooled(maxShared)} or the default). */
    int getSharedCapacity();

    /** Returns rewritten {@code new}s served: reused + allocated. */
    long getAcquired();

    /** Returns acquisitions served by re-initialising an idle object. */
    long getReused();

    /** Returns acquisitions that had to allocate because no idle object was at hand. */
    long getAllocated();

    /** Returns {@code Shelf.release} calls that reached this pool. */
    long getReleased();

    /** Returns releases dropped because the thread's stack and the shared depot were full. */
    long getDropped();

    /** Returns objects waiting in the pool now. */
    long getIdle();

    /** Returns idle objects the pool let go of after garbage collections or when their thread ended. */
    long getEvicted();

    /** Returns second releases of an already released object, refused and counted (per class name). */
    long getDoubleReleases();

    /** Returns reused / acquired, 0 when nothing was acquired. */
    double getHitRatio();

    /**
     * Returns an <em>estimate</em> of the bytes one reuse saves: shallow size from the declared fields plus owned
     * primitive arrays of constant length (see docs/observability.md); -1 when unknown.
     */
    long getEstimatedBytesPerObject();
}
