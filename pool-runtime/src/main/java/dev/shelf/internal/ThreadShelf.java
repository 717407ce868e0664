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

    /** The owning thread, weakly: a shelf must not keep an ended thread (and its context class loader) alive. */
    private final WeakReference<Thread> owner;

    /*
     * Counters. On the hit path an acquire counts one acquisition of its site and a release one release of the site
     * that acquired the object, both in this thread's own array; everything else is counted on slow paths only.
     */

    /**
     * Per-site counters, indexed {@code site * SiteCounts.STRIDE + kind} (see {@link SiteCounts}); grown by the owner
     * on a slow path when a site's number is beyond it. Class totals are sums over it.
     */
    long[] counts;
    /** Idle objects dropped from this stack because they sat unused across two garbage collections. */
    long evicted;

    /**
     * A thread's first shelf for a class.
     *
     * @param slots an empty slot array; its length is the capacity
     * @param owner  the thread
     * @param counts its zeroed per-site counters
     */
    ThreadShelf(Object[] slots, Thread owner, long[] counts) {
        super(slots);
        this.owner = new WeakReference<>(owner);
        this.home = mix(owner.getId());
        this.counts = counts;
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
        this.home = previous.home;
        this.counts = previous.counts;
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
     * Takes the most recently released object for an acquire at {@code site}, if this shelf has one at hand, and
     * counts the acquisition.
     *
     * @param site the acquiring site's number
     * @return an idle object, or {@code null} when the stack is empty, its reference was cleared or the site has no
     *         counter yet: the caller takes the slow path
     */
    Object pop(int site) {
        Object[] slots = get();
        long[] c = counts;
        int i = site * SiteCounts.STRIDE + SiteCounts.ACQUIRED;
        if (size == 0 || slots == null || i < 0 || i >= c.length) {
            return null;
        }
        c[i]++;
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
     * Keeps {@code o} for this thread's next acquire, if there is room, and counts a release of {@code site}.
     *
     * @param o    the released object
     * @param site the number of the site that acquired it
     * @return {@code false} when the stack is full, its reference was cleared or the site has no counter yet, so the
     *         caller must take the slow path
     */
    boolean push(Object o, int site) {
        Object[] slots = get();
        long[] c = counts;
        int n = size;
        int i = site * SiteCounts.STRIDE + SiteCounts.RELEASED;
        if (slots == null || n == slots.length || i < 0 || i >= c.length) {
            return false;
        }
        slots[n] = o;
        size = n + 1;
        c[i]++;
        return true;
    }

    /**
     * This thread's counters with room for {@code site}, grown if needed. Owner thread only.
     *
     * @param site      a site number
     * @param className the pooled class (sizes a grown array to its registered sites)
     * @return the counter array
     */
    long[] countsFor(int site, String className) {
        long[] c = counts;
        if ((site + 1) * SiteCounts.STRIDE > c.length) {
            c = SiteCounts.withRoom(c, site, className);
            counts = c;
        }
        return c;
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
