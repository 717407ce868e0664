package dev.shelf.internal;

import java.lang.ref.WeakReference;

/**
 * One platform thread's idle objects of one pooled class: a bounded LIFO stack, the thread's counters, and what the
 * GC-aware trimming needs to know.
 *
 * <p><b>Single writer.</b> Only the owning thread reads or writes the stack, {@link #size}, {@link #low} and the
 * counters, so nothing here is synchronised, volatile or atomic. Other threads read the counters for statistics
 * only, where a value a few operations stale is fine. LIFO because the object released last is the one most likely
 * still in this core's cache.
 *
 * <p><b>Why this is a {@code WeakReference} to its own slot array.</b> A thread reaches this object strongly (as the
 * value of its class shelf's {@code ThreadLocal}) for as long as it lives; if it also reached the idle objects strongly, a container thread
 * would keep every pooled object — and through it the pooled class and an undeployed web application's class loader
 * — alive forever. So the thread reaches the slot array only weakly; the array is kept alive by its
 * {@link ClassShelf}, which is reachable only from the pooled class itself.
 *
 * <p><b>The same reference is the GC signal.</b> After each collection the class shelf {@link #clear() clears} every
 * thread shelf's reference (keeping the array itself for one more cycle). The owner already checks the reference on
 * every operation, so it notices at its next access — at no extra cost on the hot path — and checks back in: the
 * class shelf hands the array back in a new shelf, minus the objects that sat unused for a whole cycle. An owner
 * mid-operation holds the array in a local and simply finishes on it; the clearing never races it. A thread that does
 * not come back within a cycle loses its array with everything on it.
 */
final class ThreadShelf extends WeakReference<Object[]> {

    /** Idle objects in the slot array, from index 0 (oldest) to {@code size - 1} (most recent). */
    int size;

    /**
     * The smallest {@link #size} since the last check-in. Slots below it were not touched during the whole cycle
     * between two collections: at the next check-in those objects have sat idle across two garbage collections and
     * are dropped. This is the working-set estimate of Bonwick's magazine allocator, and costs one compare on the pop
     * path.
     */
    int low;

    /** Where this thread starts probing the shared depot, so threads spread over its slots. */
    final int home;

    /** The pooled class, weakly: the release path checks it before trusting a thread's hint to this shelf. */
    final WeakReference<Class<?>> type;

    /** The owning thread, weakly: a shelf must not keep an ended thread (and its context class loader) alive. */
    private final WeakReference<Thread> owner;

    /*
     * Counters. Only one is written on the hit path: a pop counts nothing, a push counts a release. How many objects
     * this thread handed out again follows from conservation (see reused()); every other counter is written on slow
     * paths only. A second increment per acquire/release pair measurably cost more than the weak reference.
     */

    /** Releases on this thread that reached this shelf, including those that were dropped. */
    long released;
    /** Acquires this thread had to serve by allocating. */
    long allocated;
    /** Releases this thread had to drop because its stack and the shared depot were full. */
    long dropped;
    /** Idle objects dropped from this stack because they sat unused across two garbage collections. */
    long evicted;
    /** Objects this thread took from the shared depot. */
    long refilled;
    /** Objects this thread gave to the shared depot. */
    long spilled;

    /**
     * A thread's first shelf for a class.
     *
     * @param slots an empty slot array; its length is the capacity
     * @param owner the thread
     * @param type  the pooled class, weakly
     */
    ThreadShelf(Object[] slots, Thread owner, WeakReference<Class<?>> type) {
        super(slots);
        this.owner = new WeakReference<>(owner);
        this.type = type;
        this.home = mix(owner.getId());
    }

    /**
     * The shelf that takes over from {@code previous} after its reference was cleared: same owner, same counters,
     * same stack contents if {@code slots} is the previous array, or none if the array is gone.
     *
     * @param previous the cleared shelf
     * @param slots    the previous array, handed back by the class shelf, or a new empty one
     * @param kept     whether {@code slots} is the previous array
     */
    ThreadShelf(ThreadShelf previous, Object[] slots, boolean kept) {
        super(slots);
        this.owner = previous.owner;
        this.type = previous.type;
        this.home = previous.home;
        this.released = previous.released;
        this.allocated = previous.allocated;
        this.dropped = previous.dropped;
        this.refilled = previous.refilled;
        this.spilled = previous.spilled;
        if (kept) {
            int stale = Math.min(previous.low, previous.size);
            int keep = previous.size - stale;
            if (stale > 0) {
                System.arraycopy(slots, stale, slots, 0, keep);
                java.util.Arrays.fill(slots, keep, previous.size, null);
            }
            this.size = keep;
            this.evicted = previous.evicted + stale;
        } else {
            this.size = 0;
            this.evicted = previous.evicted + previous.size;
        }
        this.low = this.size;
    }

    /**
     * Takes the most recently released object, if this shelf has one at hand.
     *
     * @return an idle object, or {@code null} when the stack is empty or its reference was cleared
     */
    Object pop() {
        Object[] slots = get();
        if (size == 0 || slots == null) {
            return null;
        }
        return take(slots);
    }

    /**
     * Takes the most recently released object from a non-empty stack.
     *
     * @param slots this shelf's live slot array
     * @return the object on top
     */
    Object take(Object[] slots) {
        int n = size - 1;
        Object o = slots[n];
        slots[n] = null;
        size = n;
        if (n < low) {
            low = n;
        }
        return o;
    }

    /**
     * Keeps {@code o} for this thread's next acquire, if there is room.
     *
     * @param o the released object
     * @return {@code false} when the stack is full or its reference was cleared, so the caller must take the slow path
     */
    boolean push(Object o) {
        Object[] slots = get();
        int n = size;
        if (slots == null || n == slots.length) {
            return false;
        }
        slots[n] = o;
        size = n + 1;
        released++;
        return true;
    }

    /**
     * Removes the {@code n} oldest objects after they were handed to the depot.
     *
     * @param slots the live slot array
     * @param n     how many objects left, from the bottom of the stack
     */
    void dropBottom(Object[] slots, int n) {
        int keep = size - n;
        System.arraycopy(slots, n, slots, 0, keep);
        java.util.Arrays.fill(slots, keep, size, null);
        size = keep;
        low = Math.max(0, low - n);
    }

    /**
     * How many objects this thread's acquires were served from its stack, by conservation: everything that entered
     * the stack (kept releases, depot refills) either left it (reused, spilled, evicted) or is still there. Exact when
     * the owner is quiet; read under traffic it may be off by the operations in flight.
     *
     * @param idleOrPending objects still on the stack, or lost with a dropped array but not yet counted as evicted
     * @return how many objects were handed out again
     */
    long reused(long idleOrPending) {
        return Math.max(0, released - dropped + refilled - spilled - evicted - idleOrPending);
    }

    /** @return whether the owning thread has ended, so nobody will use this shelf again */
    boolean ownerGone() {
        Thread t = owner.get();
        return t == null || !t.isAlive();
    }

    /** Spreads thread ids, which are sequential, over probe positions (Fibonacci hashing). */
    static int mix(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
