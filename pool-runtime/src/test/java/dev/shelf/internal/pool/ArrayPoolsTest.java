package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The machinery under pooled arrays: the length table, the ledger's tickets and their state, the exact sizes and the
 * idle-bytes budget. Each test uses element types or lengths of its own (the pools are JVM-wide).
 */
class ArrayPoolsTest {

    private static final long MIB = 1 << 20;

    /** An element type of this test's own. */
    static final class Elem {
    }

    /** Another, for the length table. */
    static final class Other {
    }

    @Test
    void theLengthTableFindsEveryPoolItMade() {
        ArrayPools pools = ArrayPools.of(Other.class);
        List<ClassPool> made = new ArrayList<>();
        int[] lengths = {1, 2, 3, 16, 32, 64, 1024, 4096, 65536, 1 << 20, 1 << 30, 7, 8, 9, 1000, 1001};
        for (int n : lengths) {
            assertThat(pools.find(n)).isNull();
            ClassPool p = pools.create(n, 4, 0);
            assertThat(p).isNotNull();
            made.add(p);
            assertThat(pools.create(n, 4, 0)).as("found, not made twice").isSameAs(p);
        }
        for (int i = 0; i < lengths.length; i++) {
            assertThat(pools.find(lengths[i])).isSameAs(made.get(i));
            assertThat(made.get(i).className())
                    .isEqualTo(Other.class.getName() + "[" + lengths[i] + "]");
        }
        assertThat(pools.find(0)).isNull();
        assertThat(pools.find(-1)).isNull();
        assertThat(pools.find(5)).isNull();
        assertThat(pools.sitesKey()).isEqualTo(Other.class.getName() + "[]");
    }

    @Test
    void arraySizesAreExact() {
        assertThat(ArrayPools.BYTES.bytes(65536)).isEqualTo(SizeEstimate.ARRAY_HEADER + 65536);
        assertThat(ArrayPools.BYTES.bytes(1)).isEqualTo(SizeEstimate.align(SizeEstimate.ARRAY_HEADER + 1));
        assertThat(ArrayPools.LONGS.bytes(3)).isEqualTo(SizeEstimate.ARRAY_HEADER + 24);
        assertThat(ArrayPools.CHARS.bytes(5)).isEqualTo(SizeEstimate.align(SizeEstimate.ARRAY_HEADER + 10));
        assertThat(ArrayPools.of(Elem.class).bytes(10))
                .isEqualTo(SizeEstimate.align(SizeEstimate.ARRAY_HEADER + 10L * SizeEstimate.REFERENCE));
        assertThat(ArrayPools.of(byte[].class).create(4, 4, 0).className()).isEqualTo("byte[4][]");
        assertThat(ArrayPools.of(byte[].class).sitesKey()).isEqualTo("byte[][]");
    }

    @Test
    void aTicketIsOutUntilReleasedAndRefusesASecondRelease() {
        ClassPool pool = ArrayPools.SHORTS.create(2001, 4, 0);
        short[] a = new short[2001];
        ArrayLedger.add(a, 0, pool);
        assertThat(ArrayLedger.isReleased(a)).isFalse();
        assertThat(ArrayLedger.release(a)).isTrue();
        assertThat(ArrayLedger.isReleased(a)).isTrue();
        assertThat(pool.acquire()).as("pooled").isSameAs(a);
        ArrayLedger.out(a, 0);
        assertThat(ArrayLedger.isReleased(a)).isFalse();
        assertThat(ArrayLedger.release(a)).isTrue();
        assertThat(ArrayLedger.release(a)).as("refused, but ours").isTrue();
        assertThat(pool.acquire()).isSameAs(a);
        assertThat(pool.acquire()).as("pooled once").isNull();
        assertThat(ArrayLedger.release(new short[2001])).as("not ours").isFalse();
    }

    @Test
    void twoThreadsReleasingOneArrayAtOncePoolItOnce() throws Exception {
        ClassPool pool = ArrayPools.INTS.create(2003, 4, 8);
        int rounds = 300;
        CyclicBarrier start = new CyclicBarrier(2);
        int[][] arrays = new int[rounds][];
        for (int r = 0; r < rounds; r++) {
            arrays[r] = new int[2003];
            ArrayLedger.add(arrays[r], 0, pool);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable releaser = () -> {
            try {
                for (int r = 0; r < rounds; r++) {
                    start.await(10, TimeUnit.SECONDS);
                    ArrayLedger.release(arrays[r]);
                }
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        };
        Thread a = new Thread(releaser);
        Thread b = new Thread(releaser);
        a.start();
        b.start();
        a.join(30_000);
        b.join(30_000);
        assertThat(failure.get()).isNull();
        ShelfStats.PoolStats p = pool.snapshot();
        assertThat(p.released()).as("one release per array pooled").isEqualTo(rounds);
        assertThat(p.sites()).singleElement()
                .satisfies(s -> assertThat(s.doubleReleases()).as("the other refused").isEqualTo(rounds));
        pool.onGc(true);
    }

    @Test
    void theLedgerForgetsCollectedArraysAndGrowsWithoutLosingAny() throws InterruptedException {
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Object a = new byte[3];
            ArrayLedger.add(a, 0, null);
            if (i % 10 == 0) {
                kept.add(a);
            }
        }
        for (Object a : kept) {
            assertThat(ArrayLedger.isReleased(a)).isFalse();
            assertThat(ArrayLedger.release(a)).as("every filed array is found").isTrue();
            assertThat(ArrayLedger.isReleased(a)).isTrue();
        }
        WeakReference<Object> gone = new WeakReference<>(new Object());
        long deadline = System.currentTimeMillis() + 10_000;
        int size = ArrayLedger.size();
        while (size > kept.size() + 1000 && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(10);
            size = ArrayLedger.size();
        }
        assertThat(gone.get()).as("a collection happened").isNull();
        assertThat(size).as("tickets of collected arrays are removed").isLessThan(kept.size() + 1000);
        for (Object a : kept) {
            assertThat(ArrayLedger.isReleased(a)).as("the others stay filed").isTrue();
        }
    }

    @Test
    void releasesPastTheBudgetAreDropped() {
        long limit = IdleBudget.limit();
        long before = IdleBudget.reserved();
        IdleBudget.limit(before + 4 * MIB + 4096);
        try {
            ClassPool pool = ArrayPools.BYTES.create((int) MIB, 64, 256);
            List<byte[]> held = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                byte[] a = new byte[(int) MIB];
                ArrayLedger.add(a, 0, pool);
                held.add(a);
            }
            for (byte[] a : held) {
                ArrayLedger.release(a);
            }
            ShelfStats.PoolStats p = pool.snapshot();
            assertThat(p.idle()).isBetween(1L, 4L);
            assertThat(p.dropped()).isEqualTo(12 - p.idle());
            assertThat(IdleBudget.reserved() - before).isLessThanOrEqualTo(4 * MIB + 4096);
            pool.onGc(true); // give the room back for the other tests
        } finally {
            IdleBudget.limit(limit);
        }
    }

    @Test
    void arrayPoolsAreListedWithTheirExactSize() {
        ClassPool pool = ArrayPools.FLOATS.create(2002, 4, 0);
        RegisteredPool entry = Pools.entryOf(pool);
        assertThat(entry).isNotNull();
        assertThat(entry.className()).isEqualTo("float[2002]");
        assertThat(entry.isArray()).isTrue();
        assertThat(entry.loader()).isEqualTo("bootstrap");
        SizeEstimate size = entry.size();
        assertThat(size).isNotNull();
        assertThat(size.perObject()).isEqualTo(SizeEstimate.ARRAY_HEADER + 4 * 2002);
        assertThat(size.small()).isFalse();
        assertThat(Pools.of(float[].class)).as("not a class's pool").isNull();
    }
}
