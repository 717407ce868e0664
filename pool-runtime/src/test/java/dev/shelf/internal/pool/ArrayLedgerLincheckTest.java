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
 * results must be those of a set: a filed array is always found, a removed one never.
 *
 * <p>Each thread files and removes only its own arrays (as in the ledger, where only the allocating path files an
 * array and only the collector's queue removes it); lookups are of any array. Hashes collide on purpose (two values
 * for twelve arrays), so that lookups probe past other tickets and removed slots.
 *
 * <p>Lincheck explores interleavings under sequential consistency; that a racy read of the plain table under the Java
 * memory model costs at most a miss, re-checked under the lock, is argued in {@link ArrayLedger}'s comment.
 */
@Param(name = "me", gen = ThreadIdGen.class)
@Param(name = "k", gen = IntGen.class, conf = "0:3")
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
    public boolean lookup(@Param(name = "me") int me, @Param(name = "k") int k) {
        // any thread's array: k picks the thread's slot, me the thread, both shifted so each looks up others' too
        int i = (index(me, k) + PER_THREAD) % arrays.length;
        ArrayLedger.Ticket t = stripe.lookup(arrays[i], hash(i));
        if (t != null && !t.refersTo(arrays[i])) {
            throw new AssertionError("the lookup of array " + i + " found another array's ticket");
        }
        return t != null;
    }

    static ExecutionScenario lookupsRaceARebuild() {
        return new LincheckTests.Scenario(ArrayLedgerLincheckTest.class)
                .initially("file", 1, 0).initially("file", 1, 1).initially("remove", 1, 0)
                .on(1, "file", 1, 2).on(1, "file", 1, 3)
                .on(2, "lookup", 2, 1).on(2, "lookup", 2, 2)
                .on(3, "file", 3, 0).on(3, "lookup", 3, 3)
                .then("lookup", 1, 1)
                .build();
    }

    @Test
    void aFiledArrayIsAlwaysFoundAndARemovedOneNever() {
        LincheckTests.modelChecking(THREADS, 3, 10, 200)
                .actorsBefore(2)
                .actorsAfter(1)
                .minimizeFailedScenario(false) // ThreadIdGen's numbers name threads only in the scenario as generated
                .addCustomScenario(lookupsRaceARebuild())
                .check(ArrayLedgerLincheckTest.class);
    }
}
