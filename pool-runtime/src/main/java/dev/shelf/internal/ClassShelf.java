package dev.shelf.internal;

import dev.shelf.ShelfStats;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The pool of one {@code @Pooled} class. Rewritten code calls {@link #acquire()} from the class's generated factory
 * and {@link #release(Object)} through {@link ShelfRegistry}.
 *
 * <h2>Where idle objects live</h2>
 * <ul>
 *   <li>Each platform thread has a {@link ThreadShelf}: a bounded LIFO stack only that thread touches, found through
 *       this pool's own {@code ThreadLocal}. A same-thread acquire or release is that one lookup and a few plain loads
 *       and stores — no lock, no CAS, no allocation, no volatile access, no megamorphic call. (A single
 *       {@code ThreadLocal} for all classes with a per-class index into an array was measurably slower: the index
 *       costs three dependent loads and two branches, the per-class lookup's hash one load.)</li>
 *   <li>A {@link Depot} shared by the class's threads takes a thread's surplus in crates when its stack is full and
 *       refills a thread whose stack ran dry, so objects released on another thread flow back to the thread that
 *       acquires. Lock-free, bounded by {@code maxShared}.</li>
 *   <li>Virtual threads never get a stack (a million short-lived threads would make a million pools); they share a
 *       small striped {@link VirtualShelf}.</li>
 * </ul>
 *
 * <h2>Forgetting, like Go's victim cache</h2>
 * Objects that sit idle across two garbage collections are dropped. After each collection the {@link GcWatch}
 * reports, this shelf clears ({@code onGc}) every thread shelf's reference to its slot array and demotes the
 * arrays it holds ({@code fresh}) to {@code victims}, dropping the previous victims. An owner notices the cleared
 * reference at its next access and checks in: it gets its array back, minus the objects below its low-water mark
 * (untouched for the whole cycle), and the array is fresh again. An array whose owner did not come back within a
 * cycle is dropped with everything on it. The depot and the virtual-thread slots drop what was put there before the
 * previous collection. Under memory pressure every idle object is dropped at once. Nothing here writes to a thread's
 * stack, so trimming never races an owner: an owner mid-operation holds its array in a local and finishes on it.
 *
 * <h2>No class-loader leaks</h2>
 * Nothing reachable from a thread, from the bootstrap-loaded registry or from a GC root holds a pooled object
 * strongly: threads see their slot arrays through weak references, and the arrays, the depot and this object are
 * reachable only from the pooled class (its static field, its {@code ClassValue} entry). When an application's
 * class loader is discarded, its pools go with it.
 */
public final class ClassShelf {

    /**
     * The shelf of the pool the calling thread last released into through a lookup (see
     * {@link #releaseToHint(Object)}); one for all pools. May be stale: it is checked before use.
     */
    private static final ThreadLocal<ThreadShelf> HINT = new ThreadLocal<>();

    /** The calling platform thread's shelf of this class; never touched on a virtual thread. */
    private final ThreadLocal<ThreadShelf> local = new ThreadLocal<>();

    /** The pooled class, weakly (see the class comment); thread shelves share this reference. */
    private final WeakReference<Class<?>> type;

    private final String className;
    private final int capacity;
    private final Depot depot;
    private final VirtualShelf virtual;

    /** Collections seen; stamps what goes into the depot and the virtual-thread slots. Read on slow paths only. */
    private volatile int epoch;

    // Everything below is guarded by this.

    /** Every live thread's shelf, for statistics, trimming and folding. */
    private final List<ThreadShelf> shelves = new ArrayList<>();
    /** Arrays of shelves that checked in since the last collection: the strong references to thread-held objects. */
    private Map<ThreadShelf, Object[]> fresh = new IdentityHashMap<>();
    /** Arrays of shelves that checked in during the cycle before; handed back at check-in, dropped at the next GC. */
    private Map<ThreadShelf, Object[]> victims = new IdentityHashMap<>();
    /** Fold ended threads when {@link #shelves} reaches this size, so thread churn costs amortised O(1). */
    private int foldAt = 16;

    /** Counters of shelves that were folded away (ended threads), and of shared evictions. */
    private long foldedReused;
    private long foldedReleased;
    private long foldedAllocated;
    private long foldedDropped;
    private long foldedEvicted;

    /**
     * @param type      the pooled class; held weakly
     * @param capacity  idle objects one thread may keep, at least 1
     * @param maxShared idle objects the shared depot may keep, 0 for none
     */
    ClassShelf(Class<?> type, int capacity, int maxShared) {
        if (capacity < 1 || maxShared < 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", maxShared " + maxShared);
        }
        this.type = new WeakReference<>(type);
        this.className = type.getName();
        this.capacity = capacity;
        int crate = Math.max(1, Math.min(32, capacity / 2));
        this.depot = new Depot(maxShared, maxShared == 0 ? crate : Math.min(crate, maxShared));
        this.virtual = new VirtualShelf(Math.min(maxShared, 4 * Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Takes an idle object of this class for the calling thread.
     *
     * @return an object to re-initialise, or {@code null} when the caller must allocate
     */
    public Object acquire() {
        if (VirtualThreads.EXIST && VirtualThreads.isVirtual(Thread.currentThread())) {
            return virtual.acquire(virtualHome());
        }
        ThreadShelf s = local.get();
        if (s != null) {
            Object o = s.pop();
            if (o != null) {
                return o;
            }
        }
        return acquireSlow(s);
    }

    /**
     * Keeps {@code o} for a later acquire. The caller guarantees {@code o}'s class is exactly this pool's class and
     * that it no longer uses {@code o}.
     *
     * @param o the object to keep for reuse
     */
    public void release(Object o) {
        if (VirtualThreads.EXIST && VirtualThreads.isVirtual(Thread.currentThread())) {
            virtual.release(o, virtualHome(), epoch);
            return;
        }
        ThreadShelf s = local.get();
        if (s == null || !s.push(o)) {
            releaseSlow(s, o);
        }
    }

    /**
     * {@link #release(Object)} for a caller that found this pool by looking it up: also points the thread's hint
     * here, so that the next release of this class needs no lookup. Only lookups write the hint; writing it on every
     * operation would cost a {@code ThreadLocal} store each time.
     *
     * @param o the object to keep for reuse
     */
    void releaseAndHint(Object o) {
        release(o);
        if (!(VirtualThreads.EXIST && VirtualThreads.isVirtual(Thread.currentThread()))) {
            HINT.set(local.get());
        }
    }

    /**
     * The release path of {@link ShelfRegistry#release(Object)}, which knows the object but not its pool: if the
     * calling thread's last-used shelf is of {@code o}'s class and has room, push {@code o} there.
     *
     * @param o a released object of some pooled class
     * @return {@code false} when the caller must look the pool up and call {@link #releaseAndHint(Object)}
     */
    static boolean releaseToHint(Object o) {
        ThreadShelf s = HINT.get();
        return s != null && s.type.refersTo(o.getClass()) && s.push(o);
    }

    // ---- slow paths: the calling (owner) thread only, except where they take the lock ---------------------------

    private Object acquireSlow(ThreadShelf s) {
        Object[] slots;
        while ((slots = (s = checkIn(s)).get()) == null) {
            // cleared by a collection between check-in and here: check in again
        }
        if (s.size == 0) {
            int n = depot.refill(slots, s.home);
            if (n == 0) {
                s.allocated++;
                return null;
            }
            s.size = n;
            s.refilled += n;
        }
        return s.take(slots);
    }

    private void releaseSlow(ThreadShelf s, Object o) {
        Object[] slots;
        while ((slots = (s = checkIn(s)).get()) == null) {
            // cleared by a collection between check-in and here: check in again
        }
        s.released++;
        int n = s.size;
        if (n < slots.length) {
            slots[n] = o;
            s.size = n + 1;
        } else if (depot.spill(slots, s.home, epoch)) {
            s.dropBottom(slots, depot.crateSize());
            s.spilled += depot.crateSize();
            slots[s.size++] = o;
        } else {
            s.dropped++;
        }
    }

    /**
     * Makes this thread's shelf usable: creates it on first use, or, after a collection cleared its reference, hands
     * its array back in a new shelf (trimmed of what sat unused for a cycle), or a new array if the old one was
     * dropped. The returned shelf's array is fresh, so it stays strongly held until the next collection.
     */
    private ThreadShelf checkIn(ThreadShelf s) {
        if (s != null && s.get() != null) {
            return s;
        }
        ThreadShelf next;
        synchronized (this) {
            if (s == null) {
                if (shelves.size() >= foldAt) {
                    foldEndedThreads();
                    foldAt = Math.max(16, 2 * shelves.size());
                }
                next = new ThreadShelf(new Object[capacity], Thread.currentThread(), type);
            } else {
                Object[] kept = victims.remove(s);
                if (kept == null) {
                    kept = fresh.remove(s); // only if cleared under pressure
                }
                next = kept != null ? new ThreadShelf(s, kept, true) : new ThreadShelf(s, new Object[capacity], false);
                shelves.remove(s);
            }
            shelves.add(next);
            fresh.put(next, next.get());
        }
        local.set(next);
        if (s != null && HINT.get() == s) {
            HINT.set(next);
        }
        return next;
    }

    private static int virtualHome() {
        return ThreadShelf.mix(Thread.currentThread().getId());
    }

    // ---- called by other threads --------------------------------------------------------------------------------

    /**
     * A garbage collection finished: clear every thread shelf's reference so that owners check in again, demote
     * this cycle's arrays to victims and drop the previous victims, and drop shared objects that sat idle across two
     * collections. Under memory pressure, drop every idle object now. Called by {@link ShelfRegistry} on the GC
     * notification thread.
     *
     * @param pressure whether the heap was still nearly full after the collection
     */
    synchronized void onGc(boolean pressure) {
        int now = epoch + 1;
        epoch = now;
        // Clearing another thread's reference is safe: an owner mid-operation holds its array in a local and
        // finishes on it; at its next access it sees the cleared reference and checks in.
        for (ThreadShelf s : shelves) {
            s.clear();
        }
        if (pressure) {
            victims = new IdentityHashMap<>();
            fresh = new IdentityHashMap<>();
        } else {
            victims = fresh;
            fresh = new IdentityHashMap<>();
        }
        int oldestKept = pressure ? Integer.MAX_VALUE : now - 1;
        foldedEvicted += depot.evictOlderThan(oldestKept) + virtual.evictOlderThan(oldestKept);
        foldEndedThreads();
        Observability.collected(this, pressure); // JFR eviction event; never throws
    }

    /**
     * Adds up every thread's counters. Exact once the threads that use this pool are quiet; a few operations stale
     * under traffic.
     *
     * @return this pool's counters now
     */
    public synchronized ShelfStats.PoolStats snapshot() {
        foldEndedThreads();
        long reused = foldedReused + virtual.reused.sum();
        long released = foldedReleased + virtual.released.sum();
        long allocated = foldedAllocated + virtual.allocated.sum();
        long dropped = foldedDropped + virtual.dropped.sum();
        long evicted = foldedEvicted;
        long idle = depot.idle() + virtual.idle();
        for (ThreadShelf s : shelves) {
            int size = s.size;
            reused += s.reused(size);
            released += s.released;
            allocated += s.allocated;
            dropped += s.dropped;
            evicted += s.evicted;
            if (held(s)) {
                idle += size;
            } else {
                evicted += size; // the array was dropped; the owner will count them when it comes back
            }
        }
        return new ShelfStats.PoolStats(className, capacity, reused + allocated, reused, allocated, released, dropped,
                idle, evicted, depot.capacity());
    }

    /** @return whether {@code s}'s objects are still held (by its reference, or as fresh or victim). Lock held. */
    private boolean held(ThreadShelf s) {
        return s.get() != null || victims.containsKey(s) || fresh.containsKey(s);
    }

    /** Drops the shelves of ended threads; their idle objects count as evicted. Caller holds the lock. */
    private void foldEndedThreads() {
        for (Iterator<ThreadShelf> it = shelves.iterator(); it.hasNext(); ) {
            ThreadShelf s = it.next();
            if (s.ownerGone()) {
                it.remove();
                fresh.remove(s);
                victims.remove(s);
                s.clear();
                foldedReused += s.reused(s.size);
                foldedReleased += s.released;
                foldedAllocated += s.allocated;
                foldedDropped += s.dropped;
                foldedEvicted += s.evicted + s.size;
            }
        }
    }

    /** @return the pooled class's binary name */
    public String className() {
        return className;
    }

    /** @return how many idle objects one thread may keep */
    public int capacity() {
        return capacity;
    }

    /** @return how many idle objects the shared depot may keep */
    public int sharedCapacity() {
        return depot.capacity();
    }

    /** @return the number of garbage collections this pool has seen (for tests) */
    int epoch() {
        return epoch;
    }

    /** @return how many thread shelves this pool has now (for tests) */
    synchronized int threadShelves() {
        return shelves.size();
    }
}
