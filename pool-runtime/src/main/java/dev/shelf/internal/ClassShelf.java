package dev.shelf.internal;

import dev.shelf.ShelfStats;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The pool of one {@code @Pooled} class: a {@link ThreadShelf} per thread, plus the bookkeeping that lets
 * {@link dev.shelf.Shelf#stats()} add the threads up.
 *
 * <p>Rewritten code calls {@link #acquire()} from the class's generated factory and {@link #release(Object)} through
 * {@link ShelfRegistry}. Both touch only the calling thread's shelf: a release on another thread than the acquire
 * puts the object on the releasing thread's shelf (as Go's {@code sync.Pool} does with its per-P pools), so no
 * object is ever reachable from two shelves and nothing needs a lock.
 */
public final class ClassShelf {

    private final String className;
    private final int capacity;
    private final ThreadLocal<ThreadShelf> local;
    private final ConcurrentLinkedQueue<ThreadShelf> shelves = new ConcurrentLinkedQueue<>();

    /** Counters of threads that have ended, folded in so that their shelves can be dropped. */
    private long foldedAcquired;
    private long foldedReused;
    private long foldedReleased;
    private long foldedDropped;

    ClassShelf(String className, int capacity) {
        this.className = className;
        this.capacity = capacity;
        this.local = ThreadLocal.withInitial(this::newThreadShelf);
    }

    private ThreadShelf newThreadShelf() {
        foldDeadThreads();
        ThreadShelf shelf = new ThreadShelf(capacity, Thread.currentThread());
        shelves.add(shelf);
        return shelf;
    }

    /**
     * Takes an idle object of this class on the calling thread.
     *
     * @return an object to re-initialise, or {@code null} when the caller must allocate
     */
    public Object acquire() {
        return local.get().pop();
    }

    /**
     * Puts {@code o} on the calling thread's shelf. The caller guarantees {@code o}'s class is exactly this pool's
     * class.
     *
     * @param o the object to keep for reuse
     */
    public void release(Object o) {
        local.get().push(o);
    }

    /** @return the pooled class's binary name */
    public String className() {
        return className;
    }

    /** @return how many idle objects one thread may keep */
    public int capacity() {
        return capacity;
    }

    /**
     * Adds up every thread's counters.
     *
     * @return this pool's counters now
     */
    public synchronized ShelfStats.PoolStats snapshot() {
        foldDeadThreads();
        long acquired = foldedAcquired;
        long reused = foldedReused;
        long released = foldedReleased;
        long dropped = foldedDropped;
        long idle = 0;
        for (ThreadShelf s : shelves) {
            acquired += s.acquired;
            reused += s.reused;
            released += s.released;
            dropped += s.dropped;
            idle += s.size();
        }
        return new ShelfStats.PoolStats(className, capacity, acquired, reused, acquired - reused, released, dropped,
                idle);
    }

    /**
     * Moves the counters of ended threads into the folded totals and forgets their shelves, so that their idle
     * objects become garbage and a JVM that churns threads does not grow this list forever.
     */
    private synchronized void foldDeadThreads() {
        for (Iterator<ThreadShelf> it = shelves.iterator(); it.hasNext(); ) {
            ThreadShelf s = it.next();
            if (s.ownerGone()) {
                foldedAcquired += s.acquired;
                foldedReused += s.reused;
                foldedReleased += s.released;
                foldedDropped += s.dropped;
                it.remove();
            }
        }
    }
}
