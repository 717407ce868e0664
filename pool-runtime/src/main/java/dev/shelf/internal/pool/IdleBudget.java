package dev.shelf.internal.pool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The JVM-wide bound on what idle pooled objects may hold, in estimated bytes ({@code shelf.pool.maxIdleBytes}).
 *
 * <p>Counts bound how many objects a thread or a depot keeps; they say nothing of how big the objects are, and 64 idle
 * request objects with a 1 MiB buffer each, on each of 200 threads, are 12.5 GiB. So room for idle objects is
 * <em>reserved</em> here before a pool grows: a thread's stack starts empty and grows in steps, each step reserving
 * its new slots times the estimated size of one object; a crate handed to a shared depot reserves its objects. When
 * the budget has no room the stack stays as it is and the released object goes to the depot, or is dropped. Room is
 * given back when a stack shrinks at a check-in after a collection, when a collection or memory pressure drops it,
 * when its thread ends, and when a crate leaves the depot.
 *
 * <p>Reservations are made and returned only on slow paths (a stack growing, a crate moving), never on a same-thread
 * acquire or release, so the one shared counter here sees a few updates per thread per collection cycle. What is
 * reserved is an upper bound of what is idle: a slot reserved but empty counts as full.
 */
public final class IdleBudget {

    /** The bytes reserved now, all pools together. */
    private static final AtomicLong RESERVED = new AtomicLong();

    /** {@code shelf.pool.maxIdleBytes}; written once at start-up. */
    private static volatile long limit = Runtime.getRuntime().maxMemory() / 16;

    /**
     * Reservations refused, for the exit report.
     * racy: {@code refusals++} on a volatile is a read and a write, not one atomic step: refusals at the same moment
     * may count once. A diagnostic count; it decides nothing.
     */
    private static volatile long refusals;

    private IdleBudget() {
    }

    /**
     * Sets the budget.
     *
     * @param bytes estimated bytes all idle pooled objects may hold together; 0 keeps none idle
     */
    public static void limit(long bytes) {
        limit = Math.max(0, bytes);
    }

    /** Returns the budget in bytes. */
    static long limit() {
        return limit;
    }

    /** Returns the bytes reserved now. */
    static long reserved() {
        return RESERVED.get();
    }

    /** Returns how many reservations were refused since start. */
    static long refusals() {
        return refusals;
    }

    /**
     * How many slots one growth step of a thread's stack may add for objects of this size: as many as fit in 1/64 of
     * the budget, at least one. Small objects keep growing by doubling; a stack of 2 MiB buffers grows by one.
     *
     * @param objectBytes the estimated size of one object, positive
     * @return the most slots one step adds, at least 1
     */
    static int slotsPerStep(long objectBytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit / 64 / objectBytes));
    }

    /**
     * Reserves room, if the budget has it.
     *
     * @param bytes the bytes to reserve; nothing to do when not positive
     * @return whether the room is reserved (the caller must {@link #giveBack} it later)
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // refusals is racy on purpose: see its field
    static boolean reserve(long bytes) {
        if (bytes <= 0) {
            return true;
        }
        long max = limit;
        for (long now = RESERVED.get(); ; now = RESERVED.get()) {
            if (now + bytes > max) {
                refusals++;
                return false;
            }
            if (RESERVED.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /**
     * Returns reserved room.
     *
     * @param bytes what {@link #reserve} reserved; nothing to do when not positive
     */
    static void giveBack(long bytes) {
        if (bytes > 0) {
            RESERVED.addAndGet(-bytes);
        }
    }
}
