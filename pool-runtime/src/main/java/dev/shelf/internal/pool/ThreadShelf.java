package dev.shelf.internal.pool;

import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * One platform thread's idle objects of one pooled class: a bounded LIFO stack, the thread's counters, and what the
 * GC-aware trimming needs to know. Found by its {@link ClassPool} in the class's own {@link ThreadTable}, never
 * through the thread.
 *
 * <p><b>Single writer.</b> Only the owning thread writes {@link #size}, {@link #low}, {@link #evicted}, the counters
 * and the contents of any slot array this shelf ever had, so none of that is synchronised, volatile or atomic. Other
 * threads read the counters and the size for statistics only, where a value a few operations stale is fine. LIFO
 * because the object released last is the one most likely still in this core's cache.
 *
 * <p><b>The slot array is held strongly.</b> No thread reaches this object: it lives in its class shelf's table and
 * list, which only the pooled class reaches (its static field, its {@code ClassValue} entry). So a long-lived
 * container thread does not keep pooled objects — nor, through them, an undeployed application's class loader —
 * alive, and the hot path reads {@link #slots} as a plain field, with none of the collector's barriers that reading
 * a weak reference's referent costs.
 *
 * <p><b>This is a weak reference to the owning thread</b>, for two reasons. A shelf must not keep an ended thread
 * (and its context class loader) alive until it is folded away. And the table finds a thread's shelf by the
 * thread's id but accepts it only if {@link #refersTo(Object) it refers to} the calling thread: a reference
 * comparison, as cheap as comparing ids (one load of this object's own field, no keep-alive barrier), and immune to a
 * {@code Thread} subclass overriding {@code getId()} with something that is not unique.
 *
 * <p><b>The GC signal is the slot array field.</b> After each collection the class shelf, under its lock,
 * {@link #park(boolean) parks} the array: moves it to {@link #parked} and sets {@link #slots} to the shared empty
 * {@link #CHECK_IN} array. The hot path already compares the stack's index with {@code slots.length}, so the owner
 * falls into its slow path at its next access — at no extra cost — and checks in ({@link #checkIn()}): it takes its
 * array back, minus the objects that sat unused for a whole cycle. See {@link ClassPool} for why every interleaving
 * of an owner with the trimmer is safe.
 */
final class ThreadShelf extends WeakReference<Thread> {

    /** What {@link #slots} is while the owner must check in: no room, no objects, so both hot paths miss. */
    static final Object[] CHECK_IN = new Object[0];

    /**
     * A stack with no room yet: the first release grows it ({@link ClassPool}), reserving room in the
     * {@link IdleBudget}. Not {@link #CHECK_IN}, which means something else.
     */
    static final Object[] NONE = new Object[0];

    /**
     * The owner's stack, or {@link #CHECK_IN}. Written only under the class shelf's lock (by the trimmer to park it,
     * by the owner to take it back or grow it); read by the owner without the lock.
     * racy: the owner's plain read may miss the trimmer's latest write. It reads the field once per operation and
     * finishes on that array, which nobody else ever gets ({@link ClassPool}, "Why trimming never hands an object
     * to two holders").
     */
    Object[] slots;

    /**
     * The array the trimmer took away at the last collection, until the owner takes it back or the next collection
     * (or memory pressure) drops it. Read and written under the class shelf's lock only.
     */
    Object @Nullable [] parked;

    /**
     * Idle objects in the owner's array, from index 0 (oldest) to {@code size - 1} (most recent).
     * racy: written by the owner without the lock; other threads read it for statistics only
     * ({@link ClassPool#snapshot()}), where a value a few operations stale is fine. The trimmer never writes it.
     */
    int size;

    /**
     * The smallest {@link #size} since the last check-in. Slots below it were not touched during the whole cycle
     * between two collections: at the next check-in those objects have sat idle across two garbage collections and
     * are dropped. This is the working-set estimate of Bonwick's magazine allocator, and costs one compare on the pop
     * path.
     */
    int low;

    /**
     * Bytes reserved in the {@link IdleBudget} for {@link #slots}' length (or, while parked, the parked array's):
     * its length times {@link #slotBytes}. Read and written under the class shelf's lock only.
     */
    long reserved;

    /**
     * The estimated size of one object when the stack last grew. Written by the owner under the class shelf's lock
     * ({@link #grow}); read there, and by the owner without the lock (its own write) when it spills to the depot.
     */
    long slotBytes;

    /** The owner's id, where the table files this shelf. */
    final long id;

    /** Where this thread starts probing the shared depot, so threads spread over its slots. */
    final int home;

    /*
     * Counters. On the hit path an acquire counts one acquisition of its site and a release one release of the site
     * that acquired the object, both in this thread's own array; everything else is counted on slow paths only.
     */

    /**
     * Per-site counters, indexed {@code site * SiteCounts.STRIDE + kind} (see {@link SiteCounts}); grown by the owner
     * on a slow path when a site's number is beyond it. Class totals are sums over it.
     * racy: the field and its elements are written by the owner without the lock (plain {@code c[i]++}) and read by
     * other threads for statistics only, a few operations stale under traffic, exact once the owner is quiet or gone.
     */
    long[] counts;
    /** Idle objects dropped from this stack because they sat unused across two collections or were let go. */
    long evicted;

    /**
     * A thread's shelf for a class, with an empty stack. Made by the owner itself.
     *
     * @param owner    the calling thread
     * @param id       its id
     * @param counts   its zeroed per-site counters
     */
    ThreadShelf(Thread owner, long id, long[] counts) {
        super(owner);
        this.slots = NONE;
        this.id = id;
        this.home = mix(id);
        this.counts = counts;
    }

    /**
     * Takes the most recently released object for an acquire at {@code site}, if this shelf has one at hand, and
     * counts the acquisition.
     *
     * <p>The slot it came from is cleared. The store costs a little (with G1 a reference store, even of
     * {@code null}, first checks whether the collector is marking: ~1 ns on the bare acquire/release pair,
     * docs/benchmarks.md), but without it an object handed out and then dropped without a release stays reachable
     * from the slot for as long as this thread does not push over it — forever with {@code shelf.eviction=none},
     * where no collection ever makes the owner check in. Nothing the pool hands out is held by the pool.
     *
     * @param site the acquiring site's number
     * @return an idle object, or {@code null} when the stack is empty, the owner must check in or the site has no
     *         counter yet: the caller takes the slow path
     */
    @Nullable Object pop(int site) {
        Object[] s = slots;
        long[] c = counts;
        int n = size - 1;
        int i = site * SiteCounts.STRIDE + SiteCounts.ACQUIRED;
        // Every reason to miss (an empty stack, a parked array, no counter for the site yet) in one branch. A miss
        // is common (an empty stack), so the JIT keeps this a real branch. As four branches, the rare ones (a parked
        // array after a collection) were compiled as uncommon traps: the first collection then deoptimised every
        // caller the pop was inlined into, on every thread at once, and 16 threads on 2 cores ran interpreted code
        // for seconds until the JIT caught up (PipelineBench, docs/benchmarks.md).
        if ((n | (s.length - 1 - n) | i | (c.length - 1 - i)) < 0) {
            return null;
        }
        c[i]++;
        Object o = s[n];
        s[n] = null;
        size = n;
        if (n < low) {
            low = n;
        }
        return o;
    }

    /**
     * Takes the most recently released object from a non-empty stack.
     *
     * @param s the array the owner holds (this shelf's, or the one it had when the trimmer parked it)
     * @return the object on top
     */
    Object take(Object[] s) {
        int n = size - 1;
        Object o = s[n];
        s[n] = null;
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
     * @return {@code false} when the stack is full, the owner must check in or the site has no counter yet, so the
     *         caller must take the slow path
     */
    boolean push(Object o, int site) {
        Object[] s = slots;
        long[] c = counts;
        int n = size;
        int i = site * SiteCounts.STRIDE + SiteCounts.RELEASED;
        if (((s.length - 1 - n) | i | (c.length - 1 - i)) < 0) { // one branch, as in pop
            return false;
        }
        s[n] = o;
        size = n + 1;
        c[i]++;
        return true;
    }

    /**
     * A collection happened: takes the array away until the owner checks in, or drops it if the owner did not come
     * back for a whole cycle, or under memory pressure. Called by the trimmer under the class shelf's lock. It never
     * touches the array's contents nor {@link #size}: an owner mid-operation finishes on the array it holds in a
     * local, and its {@code size} stays exact for that array.
     *
     * @param pressure drop the array now, whatever its age
     */
    void park(boolean pressure) {
        Object[] s = slots;
        slots = CHECK_IN;
        parked = pressure || s == CHECK_IN ? null : s;
        if (parked == null) {
            IdleBudget.giveBack(reserved);
            reserved = 0;
        }
    }

    /**
     * The owner comes back after a collection: takes its parked array back, without the objects below the low-water
     * mark (they sat unused across a whole cycle), or starts over with an empty array if it was dropped (counting
     * what was on it as evicted). Called by the owner only, under the class shelf's lock.
     *
     * @return the array the owner holds now
     */
    Object[] checkIn() {
        Object[] s = slots;
        if (s != CHECK_IN) {
            return s;
        }
        s = parked;
        parked = null;
        if (s != null) {
            int stale = Math.min(low, size);
            int keep = size - stale;
            // The working set of the last cycle decides the stack's room from now on: shrink to the next power of
            // two above it and give the rest back to the budget; a busier cycle grows it again.
            int room = keep <= 1 ? keep : Math.min(s.length, Integer.highestOneBit(keep - 1) << 1);
            if (room < s.length) {
                Object[] smaller = room == 0 ? NONE : new Object[room];
                System.arraycopy(s, stale, smaller, 0, keep);
                long keptBytes = room * slotBytes;
                IdleBudget.giveBack(reserved - keptBytes);
                reserved = keptBytes;
                s = smaller;
            } else {
                if (stale > 0) {
                    System.arraycopy(s, stale, s, 0, keep);
                }
                java.util.Arrays.fill(s, keep, s.length, null);
            }
            size = keep;
            evicted += stale;
        } else {
            s = NONE;
            evicted += size;
            size = 0;
        }
        low = size;
        slots = s;
        return s;
    }

    /** Returns whether this shelf's objects are still held (in its array or parked). Under the class shelf's lock. */
    boolean holds() {
        return slots != CHECK_IN || parked != null;
    }

    /** Lets go of both arrays: the owner has ended. Under the class shelf's lock. */
    void letGo() {
        slots = CHECK_IN;
        parked = null;
        IdleBudget.giveBack(reserved);
        reserved = 0;
    }

    /**
     * Gives the owner a longer stack, if the {@link IdleBudget} has room for it. Owner only, under the class shelf's
     * lock.
     *
     * @param s           the array the owner holds
     * @param length      the length wanted
     * @param objectBytes the estimated size of one object now
     * @return the new array, holding {@code s}'s objects; or {@code null} when there is no room (or the trimmer
     *         parked {@code s} meanwhile: then the caller takes its other paths, and checks in at its next access)
     */
    Object @Nullable [] grow(Object[] s, int length, long objectBytes) {
        long perSlot = Math.max(slotBytes, objectBytes);
        if (slots != s || length <= s.length || perSlot <= 0) {
            return null;
        }
        // Big objects grow the stack one slot at a time: a step of several reserves room nobody may use, and with
        // a few threads the first ones would take the whole budget while the others drop every release.
        length = (int) Math.min(length, (long) s.length + IdleBudget.slotsPerStep(perSlot));
        long wanted = length * perSlot;
        if (!IdleBudget.reserve(wanted - reserved)) {
            if (length == s.length + 1 || !IdleBudget.reserve((wanted = (s.length + 1) * perSlot) - reserved)) {
                return null;
            }
            length = s.length + 1;
        }
        reserved = wanted;
        slotBytes = perSlot;
        Object[] grown = java.util.Arrays.copyOf(s, length);
        slots = grown;
        return grown;
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
     * @param s the array the owner holds
     * @param n how many objects left, from the bottom of the stack
     */
    void dropBottom(Object[] s, int n) {
        int keep = size - n;
        System.arraycopy(s, n, s, 0, keep);
        java.util.Arrays.fill(s, keep, size, null);
        size = keep;
        low = Math.max(0, low - n);
    }

    /** Returns whether the owning thread has ended, so nobody will use this shelf again. */
    boolean ownerGone() {
        Thread t = get();
        return t == null || !t.isAlive();
    }

    /** Spreads thread ids, which are sequential, over probe positions (Fibonacci hashing). */
    static int mix(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
