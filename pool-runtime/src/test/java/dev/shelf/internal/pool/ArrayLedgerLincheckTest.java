package dev.shelf.internal.pool;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model checking of one stripe of the {@link ArrayLedger}: threads file tickets for their arrays, remove
 * them (as the expunging of collected arrays does) and look any array up — lock-free first, under the lock on a miss —
 * while the table fills with removed slots and is rebuilt (a table of four slots, so that it is rebuilt often). The
 * results must be those of a set ({@link Spec}): a filed array is always found, a removed one never.
 *
 * <p>Each thread files and removes only its own arrays (as in the ledger, where only the allocating path files an
 * array and only the collector's queue removes it); lookups are of any array, by number. Hashes collide on purpose (two values
 * for twelve arrays), so that lookups probe past other tickets and removed slots.
 *
 * <p>Lincheck explores interleavings under sequential consistency; that a racy read of the plain table under the Java
 * memory model costs at most a miss, re-checked under the lock, is argued in {@link ArrayLedger}'s comment.
 */
@Param(name = "me", gen = ThreadIdGen.class)
@Param(name = "k", gen = IntGen.class, conf = "0:3")
@Param(name = "i", gen = IntGen.class, conf = "0:11")
public class ArrayLedgerLincheckTest {

    static final int THREADS = 3;
    static final int PER_THREAD = 4;

    private final ArrayLedger.Stripe stripe = new ArrayLedger.Stripe(4);
    private final Object[] arrays = new Object[THREADS * PER_THREAD];
    /** Per array, the ticket filed for it; each index is touched by its owning thread only. */
    private final ArrayLedger.Ticket[] filed = new ArrayLedger.Ticket[THREADS * PER_THREAD];

    public ArrayLedgerLincheckTest() {
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = new byte[1];
        }
    }

    /** ThreadIdGen's number of the calling thread, with the initial and final parts on the first thread's. */
    private static int index(int me, int k) {
        int thread = me == 0 || me == THREADS + 1 ? 1 : me;
        return (thread - 1) * PER_THREAD + k;
    }

    private static int hash(int index) {
        return index & 1;
    }

    /** A pooled site made the array: its ticket is filed. */
    @Operation
    public boolean file(@Param(name = "me") int me, @Param(name = "k") int k) {
        int i = index(me, k);
        if (filed[i] != null) {
            return false;
        }
        ArrayLedger.Ticket t = new ArrayLedger.Ticket(arrays[i], hash(i), 0, null, null);
        filed[i] = t;
        stripe.add(t);
        return true;
    }

    /** The array was collected: its ticket is removed. */
    @Operation
    public boolean remove(@Param(name = "me") int me, @Param(name = "k") int k) {
        int i = index(me, k);
        ArrayLedger.Ticket t = filed[i];
        if (t == null) {
            return false;
        }
        filed[i] = null;
        stripe.remove(t);
        return true;
    }

    /** A release or an acquire looks an array up. */
    @Operation
    public boolean lookup(@Param(name = "i") int i) {
        ArrayLedger.Ticket t = stripe.lookup(arrays[i], hash(i));
        if (t != null && !t.refersTo(arrays[i])) {
            throw new AssertionError("the lookup of array " + i + " found another array's ticket");
        }
        return t != null;
    }

    /** The specification: a set of filed arrays, with no table behind it. */
    public static final class Spec {
        private final boolean[] filed = new boolean[THREADS * PER_THREAD];

        public boolean file(int me, int k) {
            int i = index(me, k);
            boolean was = filed[i];
            filed[i] = true;
            return !was;
        }

        public boolean remove(int me, int k) {
            int i = index(me, k);
            boolean was = filed[i];
            filed[i] = false;
            return was;
        }

        public boolean lookup(int i) {
            return filed[i];
        }
    }

    /**
     * Arrays 0 and 2 share a hash (so 2 sits past 0 in the probe sequence) and 0 is removed: a lookup of 2 must probe
     * past the removed slot while other threads file arrays, which rebuilds the table of four slots.
     */
    static ExecutionScenario lookupsPastARemovedSlotRaceARebuild() {
        return new LincheckTests.Scenario(ArrayLedgerLincheckTest.class)
                .initially("file", 1, 0).initially("file", 1, 2).initially("remove", 1, 0)
                .on(1, "file", 1, 1).on(1, "file", 1, 3)
                .on(2, "lookup", 2).on(2, "file", 2, 0).on(2, "lookup", 2)
                .on(3, "file", 3, 2).on(3, "lookup", 2).on(3, "lookup", 10)
                .then("lookup", 2)
                .build();
    }

    @Test
    void aFiledArrayIsAlwaysFoundAndARemovedOneNever() {
        LincheckTests.modelChecking(THREADS, 3, 20, 200)
                .actorsBefore(2)
                .actorsAfter(1)
                .sequentialSpecification(Spec.class)
                .minimizeFailedScenario(false) // ThreadIdGen's numbers name threads only in the scenario as generated
                .addCustomScenario(lookupsPastARemovedSlotRaceARebuild())
                .check(ArrayLedgerLincheckTest.class);
    }
}
