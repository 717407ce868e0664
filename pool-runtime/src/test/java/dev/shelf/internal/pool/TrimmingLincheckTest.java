package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lincheck model checking of the GC-aware trimming in {@link ClassPool} and {@link ThreadShelf}: the trimmer parks
 * (and, a collection later or under memory pressure, drops) every thread's slot array while the owners acquire and
 * release on their lock-free hot paths, fall into their slow paths, check in under the lock, grow their stacks within
 * the {@link IdleBudget}, and spill to and refill from the depot; Lincheck explores the interleavings of three
 * threads, a few hundred per scenario (hand-written ones for the races the comments argue about, then random ones).
 *
 * <p><b>What is checked, and why not linearizability.</b> The class comment of {@link ClassPool} ("Why trimming never
 * hands an object to two holders, and the counts stay exact") promises safety, not a deterministic result: an owner
 * that races the trimmer finishes on the parked array and may drop a release the lock refused to grow for, and a
 * pool may always miss or drop. So nothing is compared with a sequential run ({@link PostConditionVerifier}); what
 * the comment promises is checked instead:
 * <ul>
 *   <li>on every acquire: an object the pool hands out was released and has not been handed out since — never to
 *       two holders, never one that was not idle (each object's state is changed by compare-and-set only);</li>
 *   <li>at the end ({@link #countsAddUpAndTheBudgetIsFree()}), once the threads are quiet: the counters are exact
 *       (acquired, released and allocated as the operations did them; acquired = reused + allocated; released =
 *       reused + dropped + evicted + idle, so no object is lost or counted on two shelves); what is reserved in the
 *       idle budget covers what is idle ({@link IdleBudget}: "an upper bound of what is idle"); and after the
 *       trimmer has dropped everything under memory pressure nothing is idle and the budget is back where it was:
 *       room reserved for every stack and crate was given back exactly once.</li>
 * </ul>
 * The pool keeps two objects per thread and one crate of one object in each of two depot slots, so stacks grow, fill
 * up, spill and refill within a handful of operations. Lincheck explores interleavings under sequential consistency;
 * the comment's "stale reads" argument (a plain {@code slots} field read without the lock, however long the JIT keeps
 * it in a register) is the Java memory model's and is only covered here as far as an interleaving can show it.
 *
 * <p>Which thread releases an object is the harness's business only: {@link ThreadIdGen} picks the calling thread's
 * list of held objects (see {@link ThreadTableLincheckTest#logical}).
 */
@Param(name = "me", gen = ThreadIdGen.class)
public class TrimmingLincheckTest {

    static final int THREADS = ThreadTableLincheckTest.THREADS;

    /** Idle, or handed out. */
    private static final int IDLE = 0;
    private static final int HELD = 1;

    static final class Obj {
        final int serial;
        final AtomicInteger state = new AtomicInteger(HELD);

        Obj(int serial) {
            this.serial = serial;
        }

        @Override
        public String toString() {
            return "#" + serial;
        }
    }

    /** What the pool estimates one object at, and reserves per slot. */
    private static final long OBJECT_BYTES = SizeEstimate.shallowOf(Obj.class);

    private final ClassPool shelf = new ClassPool(Obj.class, 2, 2);
    private final long reservedBefore = IdleBudget.reserved();

    @SuppressWarnings("unchecked")
    private final ArrayDeque<Obj>[] held = new ArrayDeque[THREADS + 1];
    private final AtomicInteger acquires = new AtomicInteger();
    private final AtomicInteger allocations = new AtomicInteger();
    private final AtomicInteger releases = new AtomicInteger();

    public TrimmingLincheckTest() {
        for (int t = 1; t <= THREADS; t++) {
            held[t] = new ArrayDeque<>();
        }
    }

    /** @return the object handed out ({@code #n}), or {@code new #n} when the pool had none */
    @Operation
    public String acquire(@Param(name = "me") int me) {
        acquires.incrementAndGet();
        Object o = shelf.acquire();
        Obj obj;
        if (o == null) {
            obj = new Obj(allocations.incrementAndGet());
        } else {
            obj = (Obj) o;
            if (!obj.state.compareAndSet(IDLE, HELD)) {
                throw new AssertionError(obj + " handed out while it was held");
            }
        }
        held[ThreadTableLincheckTest.logical(me)].addLast(obj);
        return o == null ? "new " + obj : obj.toString();
    }

    /** Releases the object the calling thread acquired last, if it holds one. */
    @Operation
    public String release(@Param(name = "me") int me) {
        Obj obj = held[ThreadTableLincheckTest.logical(me)].pollLast();
        if (obj == null) {
            return "-";
        }
        if (!obj.state.compareAndSet(HELD, IDLE)) {
            throw new AssertionError(obj + " released twice"); // the harness's own bookkeeping
        }
        releases.incrementAndGet();
        shelf.release(obj);
        return obj.toString();
    }

    /** A collection, as the GC watch reports it: every thread's array is parked, or dropped if still parked. */
    @Operation(nonParallelGroup = "trimmer")
    public void collect() {
        shelf.onGc(false);
    }

    /** A collection that left the heap nearly full: every idle object is dropped now. */
    @Operation(nonParallelGroup = "trimmer")
    public void collectUnderPressure() {
        shelf.onGc(true);
    }

    @Validate
    public void countsAddUpAndTheBudgetIsFree() {
        ShelfStats.PoolStats p = shelf.snapshot();
        check(p.acquired() == acquires.get(), "acquired", p);
        check(p.allocated() == allocations.get(), "allocated", p);
        check(p.released() == releases.get(), "released", p);
        check(p.acquired() == p.reused() + p.allocated(), "acquired = reused + allocated", p);
        check(p.released() == p.reused() + p.dropped() + p.evicted() + p.idle(),
                "released = reused + dropped + evicted + idle", p);
        // IdleBudget: "What is reserved is an upper bound of what is idle".
        long reserved = IdleBudget.reserved() - reservedBefore;
        if (p.idle() * OBJECT_BYTES > reserved) {
            throw new AssertionError(p.idle() + " idle objects of " + OBJECT_BYTES + " bytes, but only " + reserved
                    + " bytes reserved; " + p);
        }
        shelf.onGc(true);
        ShelfStats.PoolStats after = shelf.snapshot();
        check(after.idle() == 0, "nothing idle after memory pressure", after);
        check(after.released() == after.reused() + after.dropped() + after.evicted(),
                "released = reused + dropped + evicted after memory pressure", after);
        long leaked = IdleBudget.reserved() - reservedBefore;
        if (leaked != 0) {
            throw new AssertionError("the emptied pool still holds " + leaked + " bytes of the idle budget; " + after);
        }
    }

    private void check(boolean holds, String what, ShelfStats.PoolStats p) {
        if (!holds) {
            throw new AssertionError(what + " does not hold: " + p + " after " + acquires + " acquires ("
                    + allocations + " allocated), " + releases + " releases");
        }
    }

    /**
     * A's stack holds two objects and is parked; A comes back (checks in, under the lock) while the trimmer runs the
     * next collection, which drops the array if A has not taken it back yet. Small on purpose: Lincheck explores
     * this race's interleavings within a few hundred invocations.
     */
    static ExecutionScenario checkInRacesTheNextCollection() {
        return new LincheckTests.Scenario(TrimmingLincheckTest.class)
                .initially("acquire", 1).initially("acquire", 1).initially("release", 1).initially("release", 1)
                .initially("collect")
                .on(1, "acquire", 1).on(1, "release", 1)
                .on(2, "collect")
                .build();
    }

    /**
     * A's stack is full and has spilled one object into the depot; A pops on its hot path and refills from the depot,
     * B (a new thread) refills too, while the trimmer parks and then drops every array under pressure.
     */
    static ExecutionScenario hotPathsAndTheDepotRaceParkingAndDropping() {
        return new LincheckTests.Scenario(TrimmingLincheckTest.class)
                .initially("acquire", 1).initially("acquire", 1).initially("acquire", 1)
                .initially("release", 1).initially("release", 1).initially("release", 1)
                .on(1, "acquire", 1).on(1, "acquire", 1).on(1, "acquire", 1)
                .on(2, "acquire", 2).on(2, "release", 2)
                .on(3, "collect").on(3, "collectUnderPressure")
                .then("release", 1).then("release", 1)
                .build();
    }

    /** A's first release grows its empty stack under the lock while the trimmer parks it. */
    static ExecutionScenario growingRacesParking() {
        return new LincheckTests.Scenario(TrimmingLincheckTest.class)
                .initially("acquire", 1)
                .on(1, "release", 1).on(1, "acquire", 1)
                .on(2, "acquire", 2).on(2, "release", 2)
                .on(3, "collect").on(3, "collect")
                .build();
    }

    @Test
    void parkingAndCheckingInNeverHandAnObjectToTwoHoldersNorLeakRoom() {
        LincheckTests.modelChecking(THREADS, 2, 5, 200)
                .actorsBefore(3)
                .actorsAfter(2)
                .verifier(PostConditionVerifier.class)
                .minimizeFailedScenario(false) // ThreadIdGen's numbers name threads only in the scenario as generated
                .addCustomScenario(checkInRacesTheNextCollection())
                .addCustomScenario(hotPathsAndTheDepotRaceParkingAndDropping())
                .addCustomScenario(growingRacesParking())
                .check(TrimmingLincheckTest.class);
    }
}
