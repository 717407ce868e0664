package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;
import dev.shelf.internal.ShelfRegistry;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntSupplier;

import static dev.shelf.internal.pool.ClassPoolTest.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same trimming as EvictionTest, driven by the JVM's own garbage collections as GcWatch sees them: the pool
 * memory left after two collections with no traffic is at most one object per thread (in fact none).
 */
class GcWatchTest {

    static final class Watched {
        final byte[] payload = new byte[1024];
    }

    @Test
    void pressureIsAFullHeapAfterACollection() {
        long max = 1000;
        assertThat(GcWatch.underPressure(899, max)).isFalse();
        assertThat(GcWatch.underPressure(900, max)).isTrue();
        assertThat(GcWatch.underPressure(1000, max)).isTrue();
        assertThat(GcWatch.underPressure(Long.MAX_VALUE - 1, Long.MAX_VALUE)).as("no -Xmx: never").isFalse();
        assertThat(GcWatch.underPressure()).as("this test JVM's heap is nowhere near full").isFalse();
    }

    @Test
    void youngCollectionsAreSeenWithoutAnyoneAskingForThem() throws Exception {
        ShelfRegistry.activate(64, 256, true);
        ClassPool shelf = ShelfRegistry.register(Young.class, 0);
        int start = shelf.epoch();
        long deadline = System.nanoTime() + 30_000_000_000L;
        long sink = 0;
        while (shelf.epoch() == start) {
            assertThat(System.nanoTime()).as("no collection seen within 30 s of allocating").isLessThan(deadline);
            for (int i = 0; i < 10_000; i++) {
                byte[] garbage = new byte[1024];
                sink += garbage.length;
            }
        }
        assertThat(sink).isPositive();
    }

    @Test
    void everyCollectionIsCountedAtMostOnce() throws Exception {
        ShelfRegistry.activate(64, 256, true);
        ClassPool shelf = ShelfRegistry.register(Counted.class, 0);
        long reportedBefore = collectionsReportedByTheJvm();
        int start = shelf.epoch();
        for (int i = 1; i <= 3; i++) {
            collectAndAwaitEpoch(shelf::epoch, start + i);
        }
        Thread.sleep(200); // let a late wake-up land, if the watch were to count one collection twice
        int seen = shelf.epoch() - start;
        long reported = collectionsReportedByTheJvm() - reportedBefore;
        assertThat(seen).as("collections seen against %d the JVM reports", reported)
                .isBetween(3, (int) reported);
    }

    /** Collections the JVM's collector beans count, whole cycles only (not G1's concurrent cycle, not pauses). */
    private static long collectionsReportedByTheJvm() {
        long n = 0;
        for (java.lang.management.GarbageCollectorMXBean gc
                : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!gc.getName().endsWith("Pauses") && !gc.getName().equals("G1 Concurrent GC")) {
                n += gc.getCollectionCount();
            }
        }
        return n;
    }

    static final class Young {
    }

    static final class Counted {
    }

    @Test
    void afterTwoRealCollectionsWithNoTrafficNothingIsLeftPerThread() throws Exception {
        ShelfRegistry.activate(64, 256, true);
        ClassPool shelf = ShelfRegistry.register(Watched.class, 0);
        int threads = 4;
        List<WeakReference<Object>> refs = new ArrayList<>();
        CountDownLatch filled = new CountDownLatch(threads);
        CountDownLatch finish = new CountDownLatch(1);
        List<Thread> idle = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                fill(shelf, refs);
                filled.countDown();
                try {
                    finish.await(); // alive, never touching the pool again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            idle.add(thread);
        }
        filled.await();
        try {
            assertThat(shelf.snapshot().idle()).isEqualTo(threads * 40L);
            int start = shelf.epoch();
            collectAndAwaitEpoch(shelf::epoch, start + 1);
            collectAndAwaitEpoch(shelf::epoch, start + 2);
            ShelfStats.PoolStats p = shelf.snapshot();
            assertThat(p.idle()).as("pool memory after two collections with no traffic")
                    .isLessThanOrEqualTo(threads); // the target: at most one object per thread
            assertThat(p.idle()).isZero();
            assertThat(p.evicted()).isEqualTo(threads * 40L);
            assertThat(EvictionTest.collectable(refs)).as("and the collector reclaims them").isTrue();
        } finally {
            finish.countDown();
            for (Thread t : idle) {
                t.join();
            }
        }
        assertBalanced(shelf.snapshot());
    }

    /** 40 objects per thread: they fit the thread's stack of 64, so each thread holds its own. */
    private static void fill(ClassPool shelf, List<WeakReference<Object>> refs) {
        for (int i = 0; i < 40; i++) {
            Watched w = new Watched();
            synchronized (refs) {
                refs.add(new WeakReference<>(w));
            }
            shelf.release(w);
        }
    }

    /** Asks for a full collection until the pool has seen {@code epoch}; the watch learns of it asynchronously. */
    private static void collectAndAwaitEpoch(IntSupplier current, int epoch) throws InterruptedException {
        System.gc();
        for (int waited = 0; current.getAsInt() < epoch; waited += 10) {
            assertThat(waited).as("no collection seen within 30 s").isLessThan(30_000);
            Thread.sleep(10);
        }
    }
}
