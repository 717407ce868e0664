package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;
import dev.shelf.internal.ShelfRegistry;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.shelf.internal.pool.ClassPoolTest.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Virtual threads (JDK 21+; this class runs again on JDK 25 in the build): a million short-lived virtual threads
 * share a striped pool instead of creating a million thread-local ones. Compiled for Java 17, so virtual threads are
 * reached reflectively; on JDK 17 the tests are skipped.
 */
class VirtualThreadTest {

    private static ExecutorService virtualThreadPerTask() throws Exception {
        Method m;
        try {
            m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            assumeTrue(false, "no virtual threads on Java " + Runtime.version().feature());
            throw e;
        }
        return (ExecutorService) m.invoke(null);
    }

    @Test
    void detectionMatchesThePlatform() {
        assertThat(VirtualThreads.EXIST).isEqualTo(Runtime.version().feature() >= 21);
        assertThat(VirtualThreads.isVirtual(Thread.currentThread())).isFalse();
    }

    @Test
    void aMillionShortLivedVirtualThreadsShareOneStripedPool() throws Exception {
        ExecutorService executor = virtualThreadPerTask();
        ClassPool shelf = new ClassPool(Item.class, 64, 256);
        int before = Item.CREATED.get();
        int threads = 1_000_000;
        AtomicLong isVirtual = new AtomicLong();
        try {
            for (int i = 0; i < threads; i++) {
                executor.execute(() -> {
                    if (VirtualThreads.isVirtual(Thread.currentThread())) {
                        isVirtual.incrementAndGet();
                    }
                    Item.release(shelf, Item.acquire(shelf));
                });
            }
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(isVirtual.get()).isEqualTo(threads);
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(shelf.threadShelves()).as("no per-thread pool was created for a virtual thread").isZero();
        assertThat(p.acquired()).isEqualTo(threads);
        assertThat(p.released()).isEqualTo(threads);
        assertThat(p.allocated()).isEqualTo(Item.CREATED.get() - before);
        assertThat(p.hitRatio()).as("virtual threads reuse each other's objects").isGreaterThan(0.9);
        assertThat(p.idle()).as("bounded by the striped slots").isLessThanOrEqualTo(
                4L * Runtime.getRuntime().availableProcessors());
        assertBalanced(p);

        // A platform thread still gets its own stack.
        Item.release(shelf, Item.acquire(shelf));
        assertThat(shelf.threadShelves()).isEqualTo(1);
    }

    @Test
    void virtualThreadsSharePooledArrays() throws Exception {
        ExecutorService executor = virtualThreadPerTask();
        ShelfRegistry.activate(16, 32, false);
        int threads = 20_000;
        AtomicLong notZero = new AtomicLong();
        try {
            for (int i = 0; i < threads; i++) {
                executor.execute(() -> {
                    byte[] b = dev.shelf.internal.ArrayShelf.bytes(3002, 0);
                    for (byte x : b) {
                        if (x != 0) {
                            notZero.incrementAndGet();
                            break;
                        }
                    }
                    java.util.Arrays.fill(b, (byte) 9);
                    dev.shelf.Shelf.release(b);
                });
            }
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        }
        assertThat(notZero.get()).as("every array handed out was zeroed").isZero();
        ClassPool pool = ArrayPools.BYTES.find(3002);
        assertThat(pool).isNotNull();
        ShelfStats.PoolStats p = pool.snapshot();
        assertThat(pool.threadShelves()).as("no per-thread stack for a virtual thread").isZero();
        assertThat(p.acquired()).isEqualTo(threads);
        assertThat(p.released()).isEqualTo(threads);
        assertThat(p.hitRatio()).as("virtual threads reuse each other's arrays").isGreaterThan(0.9);
        assertBalanced(p);
    }

    @Test
    void virtualThreadsThroughTheRegistryAndGcTrimming() throws Exception {
        ExecutorService executor = virtualThreadPerTask();
        ShelfRegistry.activate(16, 32, false);
        ClassPool shelf = ShelfRegistry.register(VirtualItem.class, 0);
        try {
            for (int i = 0; i < 10_000; i++) {
                executor.execute(() -> {
                    Object o = shelf.acquire();
                    ShelfRegistry.release(o == null ? new VirtualItem() : o);
                });
            }
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.released()).isEqualTo(10_000);
        assertThat(p.idle()).isPositive();
        shelf.onGc(false);
        shelf.onGc(false);
        ShelfStats.PoolStats trimmed = shelf.snapshot();
        assertThat(trimmed.idle()).as("idle across two collections: dropped").isZero();
        assertBalanced(trimmed);
    }

    /** A class of its own: the registry binds one pool per class for the JVM's lifetime. */
    static final class VirtualItem {
    }
}
