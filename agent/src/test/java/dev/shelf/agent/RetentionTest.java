package dev.shelf.agent;

import dev.shelf.Shelf;
import dev.shelf.internal.ShelfRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a pool holds on to: owned containers that one big request grew are let go at release
 * ({@code shelf.pool.maxRetainedBytes}), and an object handed out is never kept reachable by the pool (Go's
 * {@code TestPoolGC}). The JVM-wide idle-bytes budget is tested in the runtime ({@code IdleBudgetTest}).
 */
class RetentionTest {

    private static final String SITES = ReinitCorpusTest.CORPUS + ".Sites";
    private static final long MIB = 1 << 20;

    @AfterEach
    void defaults() {
        ShelfRegistry.activate(64, 256, true, 1 << 20, -625);
    }

    /**
     * Ten requests grow the owned builder (24 Mi chars), list (4 Mi entries) and map (512 Ki entries) — over 64 MiB
     * of backing storage — then ten thousand small ones reuse the same object. With the bound, the object in use
     * afterwards holds what a small request needs; without it (the control, bound lifted), it still holds the big
     * capacity.
     */
    @Test
    void containersThatGrewPastTheBoundAreLetGoAtRelease() {
        long small = heapHoldingOneObjectAfter(false, 1 << 20);
        long big = heapHoldingOneObjectAfter(true, 1 << 20);
        long unbounded = heapHoldingOneObjectAfter(true, Long.MAX_VALUE);
        System.out.printf("[retention] heap used after GC holding the reused object: small cycles only %d MiB, "
                + "after 10 big cycles %d MiB (maxRetainedBytes=1m), %d MiB (no bound)%n",
                small / MIB, big / MIB, unbounded / MIB);
        assertThat(big - small).as("within 8 MiB of the run without big cycles").isLessThan(8 * MIB);
        assertThat(unbounded - small).as("the control: without the bound the grown storage stays")
                .isGreaterThan(32 * MIB);
    }

    private static long heapHoldingOneObjectAfter(boolean bigCycles, long maxRetainedBytes) {
        ShelfRegistry.activate(64, 256, true, maxRetainedBytes, -625);
        ShelfTestLoader loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        if (bigCycles) {
            loader.call(SITES, "growingCycles", 10, 24 << 20, 4 << 20, 512 << 10);
        }
        loader.call(SITES, "growingCycles", 10_000, 100, 10, 10);
        Object inUse = loader.call(SITES, "growing"); // the pooled object, taken again
        long used = usedAfterGc();
        assertThat(inUse).isNotNull();
        Shelf.release(inUse);
        return used;
    }

    /** Go's TestPoolGC: objects released, all taken back and dropped, are collectable at once. */
    @Test
    void objectsTakenAndDroppedAreNotHeldByThePool() {
        ShelfTestLoader loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        List<Object> made = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            made.add(loader.call(SITES, "sizedRequest", 64));
        }
        for (Object o : made) {
            Shelf.release(o);
        }
        made.clear();
        List<WeakReference<Object>> taken = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            taken.add(new WeakReference<>(loader.call(SITES, "sizedRequest", 64)));
        }
        long alive = 0;
        for (int gc = 1; gc <= 2; gc++) {
            System.gc();
            alive = taken.stream().filter(r -> r.get() != null).count();
        }
        assertThat(alive).as("objects still reachable after two collections").isZero();
    }

    private static long usedAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
