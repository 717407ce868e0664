package dev.shelf.internal.observe;

import dev.shelf.internal.pool.ClassPool;
import dev.shelf.internal.pool.RegisteredPool;

/**
 * What the pool core tells the observers, and all it tells them: a pool was registered, a pool handled a garbage
 * collection. Both happen off the acquire and release paths. Everything else observers want they read when they want
 * it: the pools from {@link dev.shelf.internal.pool.Pools}, their counters from snapshots.
 *
 * <p>Implementations must never throw and never block on anything but the pool's own lock: they run inside a pooled
 * class's static initialiser and on the GC watch's thread.
 */
public interface PoolListener {

    /**
     * A pool was created and listed. Called from the pooled class's static initialiser.
     *
     * @param pool the new entry
     */
    void registered(RegisteredPool pool);

    /**
     * A garbage collection was handled by {@code pool}: it has dropped what it drops. Called on the GC watch's thread
     * with the pool's lock held.
     *
     * @param pool     the pool
     * @param pressure whether the heap was still nearly full after the collection
     */
    void collected(ClassPool pool, boolean pressure);
}
