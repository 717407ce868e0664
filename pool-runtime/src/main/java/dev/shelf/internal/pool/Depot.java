package dev.shelf.internal.pool;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The shared overflow of one pooled class: where a thread's surplus goes when its own stack is full, and where a
 * thread whose stack ran dry looks before allocating. It is what makes cross-thread release work: when objects are
 * acquired on thread A and released on thread B (a producer and a consumer, an event loop and a worker), B's stack
 * fills up, spills a crate into the depot, and A's empty stack refills from it.
 *
 * <p><b>Crates, not objects.</b> Objects move in full {@link Crate}s of a fixed size, so one compare-and-set moves
 * up to 32 objects and the cross-thread path costs a small fraction of an atomic per object; there is no lock, so
 * there is no convoy. Crates themselves circulate through a second set of slots for empty crates, so a steady
 * producer/consumer flow allocates nothing.
 *
 * <p><b>Never two holders.</b> A crate is either in exactly one slot or held by exactly one thread: it enters a slot
 * by {@code compareAndSet(null, crate)} and leaves it by {@code compareAndSet(crate, null)}, and its objects are
 * touched only by whoever holds it. The GC trimmer takes crates the same way, so it never races an owner.
 *
 * <p><b>Bounded.</b> {@code maxShared / crateSize} slots for full crates; a spill that finds them all taken fails and
 * the caller drops the released object.
 */
final class Depot {

    /** A batch of exactly {@code crateSize} idle objects, stamped with the epoch in which it was filled. */
    static final class Crate {
        final Object[] items;
        /**
         * Written by the filler before the crate is published.
         * racy: the trimmer reads it before it takes the crate's slot ({@link Depot#evictOlderThan}), while the crate
         * may be taken, refilled and put back meanwhile; a stale stamp drops the new objects a collection early,
         * never twice, because the trimmer still takes the slot by compare-and-set.
         */
        int epoch;
        /**
         * Room reserved in the {@link IdleBudget} for its objects; written by the filler before the crate is
         * published, read by whoever takes it from its slot.
         */
        long bytes;

        Crate(int size) {
            this.items = new Object[size];
        }
    }

    private final AtomicReferenceArray<Crate> full;
    private final AtomicReferenceArray<Crate> empty;
    private final int crateSize;

    /**
     * @param maxShared how many idle objects the depot may hold; 0 disables it
     * @param crateSize objects per crate, at most {@code maxShared} when that is positive
     */
    Depot(int maxShared, int crateSize) {
        int crates = maxShared == 0 ? 0 : Math.max(1, maxShared / crateSize);
        this.full = new AtomicReferenceArray<>(crates);
        this.empty = new AtomicReferenceArray<>(crates);
        this.crateSize = crateSize;
    }

    /** Returns objects per crate. */
    int crateSize() {
        return crateSize;
    }

    /** Returns whether the depot can hold anything at all. */
    boolean mayHold() {
        return full.length() > 0;
    }

    /** Returns how many idle objects the depot can hold. */
    int capacity() {
        return full.length() * crateSize;
    }

    /**
     * Moves the {@code crateSize} oldest objects of {@code slots} into the depot, if it has room. The objects stay
     * in {@code slots} too; on success the caller must remove them before its next pop.
     *
     * @param slots the caller's stack, holding at least {@code crateSize} objects from index 0
     * @param home  where to start probing
     * @param epoch the class shelf's current epoch
     * @param objectBytes the estimated size of one of the objects, reserved per object in the {@link IdleBudget}
     * @return whether the objects now belong to the depot (not when it is full or the budget has no room)
     */
    boolean spill(Object[] slots, int home, int epoch, long objectBytes) {
        int n = full.length();
        int i = freeSlot(full, home, n);
        long bytes = objectBytes * crateSize;
        if (i < 0 || !IdleBudget.reserve(bytes)) {
            return false;
        }
        Crate c = takeAny(empty, home, n);
        if (c == null) {
            c = new Crate(crateSize);
        }
        System.arraycopy(slots, 0, c.items, 0, crateSize);
        c.epoch = epoch;
        c.bytes = bytes;
        for (int probe = 0; probe < n; probe++, i = (i + 1) % n) {
            if (full.get(i) == null && full.compareAndSet(i, null, c)) {
                return true;
            }
        }
        IdleBudget.giveBack(bytes);
        java.util.Arrays.fill(c.items, null);
        putEmpty(c, home);
        return false;
    }

    /**
     * Moves one crate's worth of objects into {@code slots}, if the depot has any.
     *
     * @param slots an empty stack with room for {@code crateSize} objects from index 0
     * @param home  where to start probing
     * @return how many objects were moved: {@code crateSize} or 0
     */
    int refill(Object[] slots, int home) {
        int n = full.length();
        Crate c = takeAny(full, home, n);
        if (c == null) {
            return 0;
        }
        System.arraycopy(c.items, 0, slots, 0, crateSize);
        java.util.Arrays.fill(c.items, null);
        IdleBudget.giveBack(c.bytes); // the objects are in the caller's stack now, whose room is reserved
        putEmpty(c, home);
        return crateSize;
    }

    /**
     * Drops every crate filled before {@code oldestKept}. Called by the GC trimmer only.
     *
     * @param oldestKept crates stamped with an earlier epoch are dropped; {@code Integer.MAX_VALUE} drops all
     * @return how many objects were dropped
     */
    int evictOlderThan(int oldestKept) {
        int dropped = 0;
        for (int i = 0; i < full.length(); i++) {
            Crate c = full.get(i);
            // racy: c may have been taken, refilled and put back in this slot since it was read; a stale stamp then
            // drops its new objects a collection early (the compare-and-set still succeeds), never twice.
            if (c != null && c.epoch < oldestKept && full.compareAndSet(i, c, null)) {
                java.util.Arrays.fill(c.items, null);
                IdleBudget.giveBack(c.bytes);
                dropped += crateSize;
                putEmpty(c, i);
            }
        }
        return dropped;
    }

    /** Returns idle objects in the depot now (approximate under traffic). */
    int idle() {
        int crates = 0;
        for (int i = 0; i < full.length(); i++) {
            if (full.get(i) != null) {
                crates++;
            }
        }
        return crates * crateSize;
    }

    private void putEmpty(Crate c, int home) {
        int n = empty.length();
        int i = freeSlot(empty, home, n);
        for (int probe = 0; i >= 0 && probe < n; probe++, i = (i + 1) % n) {
            if (empty.get(i) == null && empty.compareAndSet(i, null, c)) {
                return;
            }
        }
        // No room: the crate becomes garbage; a later spill makes a new one.
    }

    private static int freeSlot(AtomicReferenceArray<Crate> slots, int home, int n) {
        for (int probe = 0, i = Math.floorMod(home, Math.max(n, 1)); probe < n; probe++, i = (i + 1) % n) {
            if (slots.get(i) == null) {
                return i;
            }
        }
        return -1;
    }

    private static @Nullable Crate takeAny(AtomicReferenceArray<Crate> slots, int home, int n) {
        for (int probe = 0, i = Math.floorMod(home, Math.max(n, 1)); probe < n; probe++, i = (i + 1) % n) {
            Crate c = slots.get(i);
            if (c != null && slots.compareAndSet(i, c, null)) {
                return c;
            }
        }
        return null;
    }
}
