package dev.shelf.internal.pool;

import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lincheck model checking of the class shelf's {@link ThreadTable}: threads look themselves up, file their shelves
 * (a copy-on-write table replaced under the lock, read without it) and short-lived threads come and go and are folded
 * away (removed), in the interleavings of three threads Lincheck explores (a few hundred per scenario); each
 * thread's entry must stay its own.
 *
 * <p><b>The specification.</b> The pool has no depot ({@code maxShared} 0) and no collection runs, so a thread's
 * idle objects can only ever be found on its own stack: {@link Spec} is a LIFO stack of {@value #CAPACITY} per
 * thread, which drops a release when full. That is linearizable by construction, so Lincheck compares every
 * interleaving's results with it: a thread that finds another's shelf gets another thread's object back, a thread
 * whose entry was lost (an insert overwritten by another thread's table, say) gets a second shelf and misses its own
 * object. The validation then checks that exactly one shelf per live thread remains once ended threads are folded.
 *
 * <p>{@link #churn} runs a short-lived thread that claims the calling thread's id ({@code getId()} overridden, as
 * {@link ThreadTableTest.FixedIdThread}): it is filed while the caller is, collides with the caller's home slot (so
 * one of the two is found by {@linkplain ThreadTable#probe probing}), ends, and {@link #fold} removes it while others
 * look themselves up. Lincheck schedules that thread too.
 *
 * <p>Lincheck explores interleavings under sequential consistency. The table's other claim, that a racy read of the
 * plain {@code threads} field under the Java memory model (elements seen as {@code null}) only ever costs a miss, is
 * argued in {@link ThreadTable}'s comment and not checked here.
 *
 * <p>Lincheck runs the initial and the final operations on the thread of the first parallel column, so
 * {@link ThreadIdGen}'s numbers 0 (initial part) and {@code THREADS + 1} (final part) are that thread: see
 * {@link #logical}.
 */
@Param(name = "me", gen = ThreadIdGen.class)
public class ThreadTableLincheckTest {

    static final int THREADS = 3;
    static final int CAPACITY = 2;

    /** ThreadIdGen's number of the calling thread, with the initial and final parts on the first thread's. */
    static int logical(int me) {
        return me == 0 || me == THREADS + 1 ? 1 : me;
    }

    /** A pooled object named by the thread that allocated it and the how-manieth it was. */
    static final class Obj {
        final String name;
        final AtomicInteger holders = new AtomicInteger();

        Obj(String name) {
            this.name = name;
        }

        Obj take() {
            if (holders.incrementAndGet() != 1) {
                throw new AssertionError(name + " handed to two holders");
            }
            return this;
        }

        void give() {
            holders.decrementAndGet();
        }
    }

    private final ClassPool shelf = new ClassPool(Obj.class, CAPACITY, 0);
    private final long reservedBefore = IdleBudget.reserved();

    /** Per logical thread, touched only by that thread: what it holds (most recent last), what it made. */
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Obj>[] held = new ArrayDeque[THREADS + 1];
    private final int[] made = new int[THREADS + 1];
    private final Thread[] threadOf = new Thread[THREADS + 1];
    /** Per logical thread: whether it called the pool (and so has a shelf). */
    private final boolean[] used = new boolean[THREADS + 1];

    public ThreadTableLincheckTest() {
        for (int t = 1; t <= THREADS; t++) {
            held[t] = new ArrayDeque<>();
        }
    }

    private int me(int me) {
        int t = logical(me);
        Thread current = Thread.currentThread();
        if (threadOf[t] == null) {
            threadOf[t] = current;
        } else if (threadOf[t] != current) {
            throw new IllegalStateException("test harness: thread number " + me + " ran on two threads");
        }
        return t;
    }

    /** @return the name of the object the calling thread got: its own most recent release, or a new one */
    @Operation
    public String acquire(@Param(name = "me") int me) {
        int t = me(me);
        used[t] = true;
        Object o = shelf.acquire();
        Obj obj = o == null ? new Obj(t + "." + ++made[t]) : (Obj) o;
        held[t].addLast(obj.take());
        return obj.name;
    }

    /** Releases the object the calling thread acquired last, if it holds one. */
    @Operation
    public void release(@Param(name = "me") int me) {
        int t = me(me);
        Obj obj = held[t].pollLast();
        if (obj != null) {
            used[t] = true;
            obj.give();
            shelf.release(obj);
        }
    }

    /**
     * A thread claiming the caller's id starts, uses the pool and ends: it must get a shelf of its own (a miss, then
     * its own object back), never the caller's.
     */
    @Operation(runOnce = true)
    @SuppressWarnings("deprecation") // getId(): what ClassPool files a thread under
    public void churn(@Param(name = "me") int me) throws InterruptedException {
        me(me);
        if (me == 0 || me == THREADS + 1) {
            // Lincheck 3.7 never schedules a thread started in the initial part (the invocation hangs); the final
            // part runs the same way. Only the parallel part starts one.
            return;
        }
        ShortLived helper = new ShortLived(shelf);
        Thread thread = new ThreadTableTest.FixedIdThread(Thread.currentThread().getId(), helper);
        thread.start();
        thread.join();
        if (helper.failure != null) {
            throw new AssertionError(helper.failure);
        }
    }

    /** The body of {@link #churn}'s thread (a class, not a lambda: Lincheck tracks its fields). */
    static final class ShortLived implements Runnable {
        private final ClassPool shelf;
        String failure;

        ShortLived(ClassPool shelf) {
            this.shelf = shelf;
        }

        @Override
        public void run() {
            Object first = shelf.acquire();
            if (first != null) {
                failure = "a new thread found " + ((Obj) first).name + " on its shelf";
                return;
            }
            Obj mine = new Obj("short-lived");
            shelf.release(mine);
            Object again = shelf.acquire();
            if (again != mine) {
                failure = "a new thread released its object and got "
                        + (again == null ? "nothing" : ((Obj) again).name);
                return;
            }
            shelf.release(mine); // left idle on its stack: folding counts it as evicted
        }
    }

    /** Folds the shelves of ended threads: the table is rebuilt without them. */
    @Operation
    public void fold() {
        shelf.snapshot();
    }

    @Validate
    public void oneShelfPerLiveThread() {
        shelf.snapshot(); // every helper has ended (joined): folded now
        int users = 0;
        for (int t = 1; t <= THREADS; t++) {
            users += used[t] ? 1 : 0;
        }
        if (shelf.threadShelves() != users) {
            throw new AssertionError(shelf.threadShelves() + " shelves for " + users
                    + " live threads that used the pool");
        }
        shelf.onGc(true); // memory pressure: every idle object goes, and its room in the budget with it
        long leaked = IdleBudget.reserved() - reservedBefore;
        if (leaked != 0) {
            throw new AssertionError("the emptied pool still holds " + leaked + " bytes of the idle budget");
        }
    }

    /** What each thread must see: its own LIFO stack of {@value #CAPACITY}, which drops a release when full. */
    public static final class Spec {
        @SuppressWarnings("unchecked")
        private final ArrayDeque<String>[] idle = new ArrayDeque[THREADS + 1];
        @SuppressWarnings("unchecked")
        private final ArrayDeque<String>[] held = new ArrayDeque[THREADS + 1];
        private final int[] made = new int[THREADS + 1];

        public Spec() {
            for (int t = 1; t <= THREADS; t++) {
                idle[t] = new ArrayDeque<>();
                held[t] = new ArrayDeque<>();
            }
        }

        public String acquire(int me) {
            int t = logical(me);
            String o = idle[t].pollLast();
            if (o == null) {
                o = t + "." + ++made[t];
            }
            held[t].addLast(o);
            return o;
        }

        public void release(int me) {
            int t = logical(me);
            String o = held[t].pollLast();
            if (o != null && idle[t].size() < CAPACITY) {
                idle[t].addLast(o);
            }
        }

        public void churn(int me) {
        }

        public void fold() {
        }
    }

    /**
     * Three threads file their shelves at once (each insert rebuilds the table from the list under the lock) and come
     * back for their own objects; a thread claiming the third one's id comes, is filed, ends and is folded away.
     */
    static ExecutionScenario threeThreadsFileTheirShelvesAtOnce() {
        return new LincheckTests.Scenario(ThreadTableLincheckTest.class)
                .on(1, "acquire", 1).on(1, "release", 1).on(1, "acquire", 1)
                .on(2, "acquire", 2).on(2, "release", 2).on(2, "acquire", 2)
                .on(3, "churn", 3).on(3, "acquire", 3).on(3, "fold")
                .build();
    }

    @Test
    void everyThreadKeepsItsOwnEntry() {
        LincheckTests.modelChecking(THREADS, 2, 3, 200)
                .actorsBefore(2)
                .actorsAfter(1)
                .sequentialSpecification(Spec.class)
                .minimizeFailedScenario(false) // ThreadIdGen's numbers name threads only in the scenario as generated
                .addCustomScenario(threeThreadsFileTheirShelvesAtOnce())
                .check(ThreadTableLincheckTest.class);
    }
}
