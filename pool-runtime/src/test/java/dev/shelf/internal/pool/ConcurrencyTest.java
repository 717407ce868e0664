package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.shelf.internal.pool.ClassPoolTest.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several threads at once: same-thread churn, producer/consumer hand-off, and GC trimming in the middle of it. Every
 * object counts its holders ({@link Item}), so handing one object to two holders fails the test wherever it happens;
 * the counters must add up exactly once the threads are done.
 */
class ConcurrencyTest {

    private static final int THREADS = 4;

    @Test
    void manyThreadsChurningNeverShareAnObjectAndCountsAddUp() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 16, 64);
        int before = Item.CREATED.get();
        AtomicLong acquires = new AtomicLong();
        Threads.runAll(THREADS, t -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            List<Item> held = new ArrayList<>();
            for (int i = 0; i < 200_000; i++) {
                // Hold between 0 and 40 objects: more than the stack keeps, so spills and refills happen too.
                if (held.isEmpty() || (held.size() < 40 && random.nextBoolean())) {
                    held.add(Item.acquire(shelf));
                    acquires.incrementAndGet();
                } else {
                    Item.release(shelf, held.remove(random.nextInt(held.size())));
                }
            }
            for (Item item : held) {
                Item.release(shelf, item);
            }
        });
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.acquired()).isEqualTo(acquires.get());
        assertThat(p.released()).isEqualTo(acquires.get());
        assertThat(p.allocated()).as("every allocation was counted").isEqualTo(Item.CREATED.get() - before);
        assertThat(p.reused()).isGreaterThan(p.allocated());
        assertBalanced(p);
    }

    @RepeatedTest(3)
    void objectsReleasedOnAnotherThreadFlowBackThroughTheDepot() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 16, 256);
        int before = Item.CREATED.get();
        int perProducer = 100_000;
        BlockingQueue<Item> queue = new ArrayBlockingQueue<>(64);
        Item poison = new Item();
        Threads.runAll(4, t -> {
            if (t < 2) { // producers: acquire and hand over
                for (int i = 0; i < perProducer; i++) {
                    queue.put(Item.acquire(shelf));
                }
                queue.put(poison);
            } else { // consumers: release what another thread acquired
                for (Item item = queue.take(); item != poison; item = queue.take()) {
                    Item.release(shelf, item);
                }
            }
        });
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.acquired()).isEqualTo(2L * perProducer);
        assertThat(p.released()).isEqualTo(2L * perProducer);
        assertThat(p.allocated()).isEqualTo(Item.CREATED.get() - before - 1);
        // Without the depot the producers would allocate every time; with it, almost all come back.
        assertThat(p.hitRatio()).as("hit ratio across threads").isGreaterThan(0.9);
        assertBalanced(p);
    }

    @Test
    void withoutADepotCrossThreadReleasesAreDroppedNotShared() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 8, 0);
        BlockingQueue<Item> queue = new ArrayBlockingQueue<>(16);
        Item poison = new Item();
        Threads.runAll(2, t -> {
            if (t == 0) {
                for (int i = 0; i < 10_000; i++) {
                    queue.put(Item.acquire(shelf));
                }
                queue.put(poison);
            } else {
                for (Item item = queue.take(); item != poison; item = queue.take()) {
                    Item.release(shelf, item);
                }
            }
        });
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.reused()).isZero();
        assertThat(p.allocated()).isEqualTo(10_000);
        assertThat(p.dropped()).isEqualTo(10_000 - 8);
        assertBalanced(p);
    }

    @RepeatedTest(3)
    void trimmingDuringTrafficNeverRacesTheOwners() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 16, 64);
        int before = Item.CREATED.get();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong collections = new AtomicLong();
        AtomicLong acquires = new AtomicLong();
        BlockingQueue<Item> queue = new ArrayBlockingQueue<>(32);
        Thread collector = new Thread(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (!done.get()) {
                shelf.onGc(random.nextInt(8) == 0); // now and then under "memory pressure"
                collections.incrementAndGet();
                Thread.onSpinWait();
            }
        });
        collector.start();
        try {
            Threads.runAll(THREADS, t -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                List<Item> held = new ArrayList<>();
                for (int i = 0; i < 100_000; i++) {
                    int action = random.nextInt(4);
                    if (action == 0 && held.size() < 24) {
                        held.add(Item.acquire(shelf));
                        acquires.incrementAndGet();
                    } else if (action == 1 && !held.isEmpty()) {
                        Item.release(shelf, held.remove(held.size() - 1));
                    } else if (action == 2) { // hand one to the next thread, which releases it
                        Item item = Item.acquire(shelf);
                        acquires.incrementAndGet();
                        item.give();
                        if (!queue.offer(item)) {
                            item.take();
                            Item.release(shelf, item);
                        }
                    } else {
                        Item other = queue.poll();
                        if (other != null) {
                            other.take();
                            Item.release(shelf, other);
                        }
                    }
                }
                for (Item item : held) {
                    Item.release(shelf, item);
                }
            });
        } finally {
            done.set(true);
            collector.join();
        }
        for (Item item = queue.poll(); item != null; item = queue.poll()) {
            item.take();
            Item.release(shelf, item);
        }
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(collections.get()).as("the trimmer ran during the traffic").isGreaterThan(10);
        assertThat(p.evicted()).as("the trimmer dropped objects").isPositive();
        assertThat(p.acquired()).isEqualTo(acquires.get());
        assertThat(p.released()).isEqualTo(acquires.get());
        assertThat(p.allocated()).isEqualTo(Item.CREATED.get() - before);
        assertBalanced(p);
    }
}
