package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.shelf.internal.pool.ClassPoolTest.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class shelf's own thread table: one shelf per live platform thread, found by id but accepted only for its own
 * thread; bounded under thread churn; and safe with threads whose ids are not unique or not stable.
 */
class ThreadTableTest {

    @Test
    void denseIdsGetTheirOwnHomeSlot() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<ThreadShelf> shelves = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Thread t = new Thread(() -> { });
            threads.add(t);
            shelves.add(new ThreadShelf(t, t.getId(), SiteCounts.forSites(1)));
        }
        ThreadShelf[] table = ThreadTable.of(shelves);
        assertThat(table.length).as("a power of two, at least twice the shelves").isGreaterThanOrEqualTo(40)
                .satisfies(n -> assertThat(Integer.bitCount(n)).isEqualTo(1));
        for (int i = 0; i < threads.size(); i++) {
            assertThat(ThreadTable.home(table, threads.get(i))).as("sequential ids do not collide")
                    .isSameAs(shelves.get(i));
            assertThat(ThreadTable.probe(table, threads.get(i))).isSameAs(shelves.get(i));
        }
        Thread stranger = new Thread(() -> { });
        assertThat(ThreadTable.home(table, stranger)).isNull();
        assertThat(ThreadTable.probe(table, stranger)).isNull();
    }

    @Test
    void anEntryIsAcceptedOnlyForItsOwnThreadWhateverTheIds() {
        // Three threads claiming one id: the table files all three, each found only by its own thread.
        List<Thread> threads = new ArrayList<>();
        List<ThreadShelf> shelves = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new FixedIdThread(7, () -> { });
            threads.add(t);
            shelves.add(new ThreadShelf(t, t.getId(), SiteCounts.forSites(1)));
        }
        ThreadShelf[] table = ThreadTable.of(shelves);
        assertThat(ThreadTable.home(table, threads.get(0))).isSameAs(shelves.get(0));
        assertThat(ThreadTable.home(table, threads.get(1))).as("not at home: the slow path probes").isNull();
        for (int i = 0; i < 3; i++) {
            assertThat(ThreadTable.probe(table, threads.get(i))).isSameAs(shelves.get(i));
        }
        assertThat(ThreadTable.probe(table, new FixedIdThread(7, () -> { }))).isNull();
    }

    @Test
    void manyLiveThreadsEachGetTheirOwnShelfAndTheTableGrows() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 4, 0);
        int threads = 300;
        CountDownLatch used = new CountDownLatch(threads);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    Item mine = Item.acquire(shelf);
                    Item.release(shelf, mine);
                    used.countDown();
                    finish.await();
                    // Every other live thread has filed its shelf meanwhile: this one still finds its own object.
                    Item again = Item.acquire(shelf);
                    assertThat(again).isSameAs(mine);
                    Item.release(shelf, again);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            all.add(t);
        }
        used.await();
        assertThat(shelf.threadShelves()).isEqualTo(threads);
        assertThat(shelf.threadTableLength()).isBetween(2 * threads, 4 * 2 * 1024);
        finish.countDown();
        for (Thread t : all) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.allocated()).isEqualTo(threads);
        assertThat(p.reused()).isEqualTo(threads);
        assertThat(shelf.threadShelves()).as("all ended, all folded").isZero();
        assertThat(shelf.threadTableLength()).isEqualTo(ThreadTable.MIN);
        assertBalanced(p);
    }

    @Test
    void thousandsOfShortLivedThreadsDoNotGrowTheTable() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 4, 16);
        int maxTable = 0;
        int maxShelves = 0;
        for (int batch = 0; batch < 1_000; batch++) {
            Threads.runAll(4, i -> {
                for (int n = 0; n < 10; n++) {
                    Item.release(shelf, Item.acquire(shelf));
                }
            });
            maxTable = Math.max(maxTable, shelf.threadTableLength());
            maxShelves = Math.max(maxShelves, shelf.threadShelves());
        }
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.acquired()).isEqualTo(40_000);
        assertThat(p.released()).isEqualTo(40_000);
        assertBalanced(p);
        // 4 000 threads came and went, at most 4 at a time: ended ones are folded when the list doubles.
        assertThat(maxShelves).as("shelves of ended threads are folded").isLessThanOrEqualTo(32);
        assertThat(maxTable).as("the table follows the live threads, not the threads ever seen")
                .isLessThanOrEqualTo(4 * 64);
        assertThat(shelf.threadShelves()).isZero();
    }

    @Test
    void threadsSharingOneIdNeverShareAShelf() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 8, 32);
        int before = Item.CREATED.get();
        int threads = 4;
        AtomicLong acquires = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new FixedIdThread(1_000_000, () -> {
                try {
                    start.await();
                    churn(shelf, acquires, 50_000);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            all.add(t);
        }
        start.countDown();
        for (Thread t : all) {
            t.join();
        }
        assertThat(failure.get()).as("an object held twice fails the worker").isNull();
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.acquired()).isEqualTo(acquires.get());
        assertThat(p.released()).isEqualTo(acquires.get());
        assertThat(p.allocated()).isEqualTo(Item.CREATED.get() - before);
        assertBalanced(p);
    }

    @Test
    void aThreadWhoseIdKeepsChangingSharesTheStripedPoolInsteadOfGrowingTheTable() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 8, 32);
        AtomicLong acquires = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                churn(shelf, acquires, 5_000);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }) {
            private final AtomicLong next = new AtomicLong(5_000_000);

            @Override
            @SuppressWarnings("deprecation")
            public long getId() {
                return next.getAndIncrement();
            }
        };
        t.start();
        t.join();
        assertThat(failure.get()).isNull();
        assertThat(shelf.threadShelves()).as("one shelf filed, never a second").isEqualTo(1);
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(shelf.threadShelves()).as("folded once the thread ended").isZero();
        assertThat(shelf.threadTableLength()).isEqualTo(ThreadTable.MIN);
        assertThat(p.acquired()).isEqualTo(acquires.get());
        assertThat(p.released()).isEqualTo(acquires.get());
        assertBalanced(p);
    }

    /**
     * The hot paths at full speed on several threads while another thread parks and drops their arrays as fast as
     * it can: every object is checked for a second holder, and the counts must add up exactly.
     */
    @Test
    void parkingArraysUnderFullSpeedTrafficNeverDoublesAnObject() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 8, 32);
        int before = Item.CREATED.get();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong collections = new AtomicLong();
        AtomicLong acquires = new AtomicLong();
        Thread collector = new Thread(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!done.get()) {
                shelf.onGc(random.nextInt(16) == 0);
                collections.incrementAndGet();
            }
        });
        collector.start();
        try {
            Threads.runAll(3, t -> churn(shelf, acquires, 300_000));
        } finally {
            done.set(true);
            collector.join();
        }
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(collections.get()).isGreaterThan(10);
        assertThat(p.evicted()).isPositive();
        assertThat(p.acquired()).isEqualTo(acquires.get());
        assertThat(p.released()).isEqualTo(acquires.get());
        assertThat(p.allocated()).isEqualTo(Item.CREATED.get() - before);
        assertThat(p.idle()).as("ended threads hold nothing").isLessThanOrEqualTo(shelf.sharedCapacity());
        assertBalanced(p);
    }

    /** Holds 0 to 3 objects at a time, mostly on the hot paths; every object is checked for a second holder. */
    private static void churn(ClassPool shelf, AtomicLong acquires, int operations) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<Item> held = new ArrayList<>();
        for (int i = 0; i < operations; i++) {
            if (held.isEmpty() || (held.size() < 3 && random.nextBoolean())) {
                held.add(Item.acquire(shelf)); // Item.take() fails if another thread holds it
                acquires.incrementAndGet();
            } else {
                Item.release(shelf, held.remove(held.size() - 1));
            }
        }
        for (Item item : held) {
            Item.release(shelf, item);
        }
    }

    /** A thread whose {@code getId()} is not unique (legal on JDK 17, where the method is not final). */
    static final class FixedIdThread extends Thread {
        private final long id;

        FixedIdThread(long id, Runnable body) {
            super(body);
            this.id = id;
        }

        @Override
        @SuppressWarnings("deprecation")
        public long getId() {
            return id;
        }
    }
}
