package dev.shelf.internal.pool;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lincheck model checking of the {@link Depot} (its class comment: "never two holders", crates move whole, bounded):
 * threads spill crates into it and refill from it while the GC trimmer evicts old crates, in the interleavings of three
 * threads Lincheck explores: a few hundred per scenario, hand-written ones for the races the class comment argues
 * about, then random ones.
 *
 * <p><b>What is checked, and why not linearizability.</b> The depot is allowed to fail a spill or come back empty
 * from a refill while a slot it already probed changes behind it (a pool may always drop or miss), and a spill stamps
 * its crate with the epoch it read before publishing it, so a collection in between evicts the crate a cycle early
 * (Lincheck's first run of this test found exactly that against a sequential specification). So the depot is not
 * linearizable to a deterministic bag of crates, and the results are not compared with one. Instead every object
 * carries its own state, changed only by compare-and-set, and each operation checks the depot's promises on what it
 * got:
 * <ul>
 *   <li>a refill hands out whole crates only: exactly {@code crateSize} objects, all spilled together in one
 *       spill;</li>
 *   <li>an object comes out of the depot only if it went in and has not come out since: never handed out twice,
 *       never one whose spill failed (a failed spill leaves the objects with the caller);</li>
 *   <li>at the end ({@link #conservation()}): every object that went in came out once, was evicted, or is still
 *       there (none lost, none counted twice), and once the trimmer has evicted everything the depot is empty and
 *       the {@link IdleBudget} is back where it was: every crate's reservation was given back exactly once.</li>
 * </ul>
 * Lincheck explores interleavings under sequential consistency; the argument that plain fields of a crate
 * ({@code epoch}, {@code bytes}, its items) are safely published by the compare-and-set that puts it in a slot is the
 * Java memory model's and is not what this test checks.
 */
@Param(name = "home", gen = IntGen.class, conf = "0:1")
public class DepotLincheckTest {

    private static final int CRATE = 2;
    private static final long OBJECT_BYTES = 16;

    /** Not yet offered to the depot. */
    private static final int WITH_CALLER = 0;
    /** Offered by a spill that may succeed; the state once it did. */
    private static final int IN_DEPOT = 1;
    /** Taken out by a refill. */
    private static final int HANDED_OUT = 2;
    /** Its spill failed: it never entered the depot. */
    private static final int KEPT = 3;

    /** An idle object; {@code batch} names the spill that offered it. */
    static final class Obj {
        final AtomicInteger state = new AtomicInteger(WITH_CALLER);
        final int batch;

        Obj(int batch) {
            this.batch = batch;
        }
    }

    /** Two slots for full crates (and two for empty ones), crates of two objects. */
    private final Depot depot = new Depot(2 * CRATE, CRATE);
    private final long reservedBefore = IdleBudget.reserved();

    /** Collections seen, as {@link ClassPool}'s epoch: stamps what a spill puts in. */
    private volatile int epoch;

    private final AtomicInteger batches = new AtomicInteger();
    private final AtomicInteger spilled = new AtomicInteger();
    private final AtomicInteger refilled = new AtomicInteger();
    private final AtomicInteger evicted = new AtomicInteger();

    /**
     * A thread whose stack is full gives its {@code crateSize} oldest objects to the depot ({@code ClassPool}'s
     * release slow path); its stack holds one more that must stay.
     */
    @Operation
    public boolean spill(@Param(name = "home") int home) {
        int batch = batches.incrementAndGet();
        Obj[] stack = new Obj[CRATE + 1];
        for (int i = 0; i < stack.length; i++) {
            stack[i] = new Obj(batch);
        }
        // Marked before the spill: once it is published, another thread may refill it before spill() returns.
        for (int i = 0; i < CRATE; i++) {
            stack[i].state.set(IN_DEPOT);
        }
        boolean in = depot.spill(stack, home, epoch, OBJECT_BYTES);
        if (in) {
            spilled.addAndGet(CRATE);
        } else {
            for (int i = 0; i < CRATE; i++) {
                if (!stack[i].state.compareAndSet(IN_DEPOT, KEPT)) {
                    throw new AssertionError("a failed spill's object was handed out by a refill");
                }
            }
        }
        if (stack[CRATE].state.get() != WITH_CALLER) {
            throw new AssertionError("the spill took more than a crate");
        }
        return in;
    }

    /** A thread whose stack ran dry refills it from the depot ({@code ClassPool}'s acquire slow path). */
    @Operation
    public int refill(@Param(name = "home") int home) {
        Object[] stack = new Object[CRATE + 1];
        int n = depot.refill(stack, home);
        if (n != 0 && n != CRATE) {
            throw new AssertionError("a refill moved " + n + " objects, not a whole crate");
        }
        int batch = -1;
        for (int i = 0; i < stack.length; i++) {
            Object o = stack[i];
            if (i >= n) {
                if (o != null) {
                    throw new AssertionError("a refill wrote past the crate it moved, at " + i);
                }
                continue;
            }
            if (!(o instanceof Obj obj)) {
                throw new AssertionError("a refill handed out " + o + " at " + i);
            }
            if (!obj.state.compareAndSet(IN_DEPOT, HANDED_OUT)) {
                throw new AssertionError("a refill handed out an object in state " + obj.state.get()
                        + " (2: handed out before, 3: its spill failed)");
            }
            if (batch >= 0 && obj.batch != batch) {
                throw new AssertionError("a crate mixed objects of spills " + batch + " and " + obj.batch);
            }
            batch = obj.batch;
        }
        refilled.addAndGet(n);
        return n;
    }

    /** The GC trimmer, as {@code ClassPool.onGc(false)}: drops crates filled before the previous collection. */
    @Operation(nonParallelGroup = "trimmer")
    public int collect() {
        int now = epoch + 1;
        epoch = now;
        int n = depot.evictOlderThan(now - 1);
        if (n % CRATE != 0) {
            throw new AssertionError("evicted " + n + " objects, not whole crates");
        }
        evicted.addAndGet(n);
        return n;
    }

    @Validate
    public void conservation() {
        int idle = depot.idle();
        if (spilled.get() != refilled.get() + evicted.get() + idle) {
            throw new AssertionError("spilled " + spilled + " != refilled " + refilled + " + evicted " + evicted
                    + " + idle " + idle);
        }
        int rest = depot.evictOlderThan(Integer.MAX_VALUE); // memory pressure: everything goes
        if (rest != idle || depot.idle() != 0) {
            throw new AssertionError("pressure evicted " + rest + " of " + idle + " idle, " + depot.idle() + " left");
        }
        long leaked = IdleBudget.reserved() - reservedBefore;
        if (leaked != 0) {
            throw new AssertionError("the empty depot still holds " + leaked + " bytes of the idle budget");
        }
    }

    /** Two refills race for the one crate while the trimmer's second collection evicts it. */
    static ExecutionScenario twoRefillsAndTheTrimmerRaceForOneCrate() {
        return new LincheckTests.Scenario(DepotLincheckTest.class)
                .initially("spill", 0)
                .on(1, "refill", 0)
                .on(2, "refill", 1)
                .on(3, "collect").on(3, "collect")
                .build();
    }

    /**
     * Crates circulate: the initial refill leaves an empty crate for reuse, two threads spill into and refill from
     * a depot of two slots (a spill may find it full), while the trimmer reads the stamps of crates being reused.
     */
    static ExecutionScenario cratesAreReusedWhileTheTrimmerReadsTheirStamps() {
        return new LincheckTests.Scenario(DepotLincheckTest.class)
                .initially("spill", 0).initially("refill", 0).initially("spill", 1)
                .on(1, "spill", 0).on(1, "refill", 1)
                .on(2, "spill", 1).on(2, "refill", 0)
                .on(3, "collect").on(3, "collect")
                .then("refill", 0)
                .build();
    }

    @Test
    void spillRefillAndEvictionNeverHandAnObjectOutTwice() {
        LincheckTests.modelChecking(3, 2, 10, 300)
                .actorsBefore(2)
                .actorsAfter(1)
                .verifier(PostConditionVerifier.class)
                .addCustomScenario(twoRefillsAndTheTrimmerRaceForOneCrate())
                .addCustomScenario(cratesAreReusedWhileTheTrimmerReadsTheirStamps())
                .check(DepotLincheckTest.class);
    }
}
