package dev.shelf.internal.pool;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Where virtual threads keep idle objects of one pooled class: a small striped array of atomic slots shared by all of
 * them.
 *
 * <p>A per-thread stash is the wrong shape for virtual threads: there may be a million of them, each living for one
 * request, so a thread-local pool would be created, filled once and thrown away a million times (the reason Jackson
 * reverted its thread-local recycler, and Netty's Recycler does not pool on virtual threads at all). Instead a virtual
 * thread probes a few slots from a home index derived from its id: acquire is {@code compareAndSet(o, null)} on a
 * full slot, release is {@code compareAndSet(null, o)} on an empty one, and a release that finds its probe window
 * full drops the object. Each slot is owned by exactly one compare-and-set winner, so an object never has two
 * holders. The design is the hybrid proposed for Jackson's {@code RecyclerPool}.
 *
 * <p>Counters are per site ({@link SiteCounts}) in {@link LongAdder}s: virtual threads of one class share them, and an
 * adder does not make them queue on one cache line.
 */
final class VirtualShelf {

    private static final int PROBES = 4;

    private final AtomicReferenceArray<Object> slots;
    /**
     * Epoch in which each slot was last filled.
     * racy: set (lazily) after the slot's compare-and-set published the object, so the trimmer may read the previous
     * object's stamp for a new one and drop it a collection early; never twice, it takes the slot by compare-and-set.
     */
    private final AtomicIntegerArray stamps;
    private final int mask;

    private final SiteCounts.Shared counts = new SiteCounts.Shared(SiteCounts.STRIDE);

    /**
     * @param stripes how many slots; rounded up to a power of two, 0 disables pooling on virtual threads
     */
    VirtualShelf(int stripes) {
        int n = stripes <= 1 ? Math.max(0, stripes) : Integer.highestOneBit((stripes - 1) << 1);
        this.slots = new AtomicReferenceArray<>(n);
        this.stamps = new AtomicIntegerArray(n);
        this.mask = n - 1;
    }

    /**
     * Takes an idle object near the calling thread's home slot.
     *
     * @param home the caller's hashed thread id
     * @param site the acquiring site's number
     * @return an idle object, or {@code null} when the probed slots are empty
     */
    @Nullable Object acquire(int home, int site) {
        site = ClassPool.valid(site);
        counts.increment(site, SiteCounts.ACQUIRED);
        int probes = Math.min(PROBES, slots.length());
        for (int p = 0; p < probes; p++) {
            int i = (home + p) & mask;
            Object o = slots.get(i);
            if (o != null && slots.compareAndSet(i, o, null)) {
                return o;
            }
        }
        counts.increment(site, SiteCounts.ALLOCATED);
        return null;
    }

    /**
     * Puts {@code o} into an empty slot near the calling thread's home slot, or drops it.
     *
     * @param o     the released object
     * @param home  the caller's hashed thread id
     * @param epoch the class shelf's current epoch
     * @param site  the number of the site that acquired {@code o}
     */
    void release(Object o, int home, int epoch, int site) {
        site = ClassPool.valid(site);
        counts.increment(site, SiteCounts.RELEASED);
        int probes = Math.min(PROBES, slots.length());
        for (int p = 0; p < probes; p++) {
            int i = (home + p) & mask;
            if (slots.get(i) == null && slots.compareAndSet(i, null, o)) {
                stamps.lazySet(i, epoch);
                return;
            }
        }
        counts.increment(site, SiteCounts.DROPPED);
    }

    /**
     * Returns one counter of virtual threads' operations.
     *
     * @param site a site number
     * @param kind a {@link SiteCounts} kind
     * @return that counter of virtual threads' operations
     */
    long count(int site, int kind) {
        return counts.get(site, kind);
    }

    /** Returns how many sites virtual threads counted anything for (an upper bound). */
    int sites() {
        return counts.sites();
    }

    /**
     * Drops objects released before {@code oldestKept}. Called by the GC trimmer only.
     *
     * @param oldestKept objects stamped with an earlier epoch are dropped; {@code Integer.MAX_VALUE} drops all
     * @return how many objects were dropped
     */
    int evictOlderThan(int oldestKept) {
        int dropped = 0;
        for (int i = 0; i < slots.length(); i++) {
            Object o = slots.get(i);
            if (o != null && stamps.get(i) < oldestKept && slots.compareAndSet(i, o, null)) {
                dropped++;
            }
        }
        return dropped;
    }

    /** Returns idle objects now (approximate under traffic). */
    int idle() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    /** Returns how many slots there are. */
    int capacity() {
        return slots.length();
    }
}
