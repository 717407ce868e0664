package dev.shelf.internal;

import dev.shelf.PoolMisuseException;
import dev.shelf.Shelf;
import dev.shelf.ShelfStats;
import dev.shelf.internal.pool.ArrayPools;
import dev.shelf.internal.pool.ClassPool;
import dev.shelf.internal.pool.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pooled arrays as rewritten sites see them ({@link ArrayShelf}) and as the application releases them
 * ({@link Shelf#release(Object)}). Every test uses lengths of its own: pools are per element type and length, and
 * JVM-wide.
 */
class ArrayShelfTest {

    @BeforeEach
    void active() {
        ShelfRegistry.activate(16, 32, false);
    }

    @AfterEach
    void lenient() {
        Strict.enable(false);
    }

    @Test
    void theSameArrayComesBackZeroedAndOfTheExactLength() {
        byte[] b = ArrayShelf.bytes(1001, 0);
        java.util.Arrays.fill(b, (byte) 7);
        Shelf.release(b);
        byte[] b2 = ArrayShelf.bytes(1001, 0);
        assertThat(b2).isSameAs(b).hasSize(1001).containsOnly((byte) 0);

        byte[] big = ArrayShelf.bytes(65537, 0); // longer than ZeroFill's block: the other zeroing path
        java.util.Arrays.fill(big, (byte) -1);
        Shelf.release(big);
        assertThat(ArrayShelf.bytes(65537, 0)).isSameAs(big).hasSize(65537).containsOnly((byte) 0);

        boolean[] z = ArrayShelf.booleans(1001, 0);
        java.util.Arrays.fill(z, true);
        Shelf.release(z);
        assertThat(ArrayShelf.booleans(1001, 0)).isSameAs(z).hasSize(1001).containsOnly(false);

        char[] c = ArrayShelf.chars(1001, 0);
        java.util.Arrays.fill(c, 'x');
        Shelf.release(c);
        assertThat(ArrayShelf.chars(1001, 0)).isSameAs(c).hasSize(1001).containsOnly((char) 0);

        short[] s = ArrayShelf.shorts(1001, 0);
        java.util.Arrays.fill(s, (short) 3);
        Shelf.release(s);
        assertThat(ArrayShelf.shorts(1001, 0)).isSameAs(s).hasSize(1001).containsOnly((short) 0);

        int[] i = ArrayShelf.ints(1001, 0);
        java.util.Arrays.fill(i, 42);
        Shelf.release(i);
        assertThat(ArrayShelf.ints(1001, 0)).isSameAs(i).hasSize(1001).containsOnly(0);

        float[] f = ArrayShelf.floats(1001, 0);
        java.util.Arrays.fill(f, 1.5f);
        Shelf.release(f);
        assertThat(ArrayShelf.floats(1001, 0)).isSameAs(f).hasSize(1001).containsOnly(0f);

        long[] l = ArrayShelf.longs(1001, 0);
        java.util.Arrays.fill(l, -1L);
        Shelf.release(l);
        assertThat(ArrayShelf.longs(1001, 0)).isSameAs(l).hasSize(1001).containsOnly(0L);

        double[] d = ArrayShelf.doubles(1001, 0);
        java.util.Arrays.fill(d, Math.PI);
        Shelf.release(d);
        assertThat(ArrayShelf.doubles(1001, 0)).isSameAs(d).hasSize(1001).containsOnly(0d);

        Object[] o = ArrayShelf.objects(1001, String.class, 0);
        assertThat(o).isInstanceOf(String[].class);
        java.util.Arrays.fill(o, "held");
        Shelf.release(o);
        Object[] o2 = ArrayShelf.objects(1001, String.class, 0);
        assertThat(o2).isSameAs(o).isInstanceOf(String[].class).hasSize(1001).containsOnlyNulls();

        Object[] rows = ArrayShelf.objects(4, byte[].class, 0); // new @Pooled byte[4][]
        assertThat(rows).isInstanceOf(byte[][].class).hasSize(4);
        Shelf.release(rows);
        assertThat(ArrayShelf.objects(4, byte[].class, 0)).isSameAs(rows);
        assertThat(Shelf.stats().pool("byte[4][]")).isPresent();
    }

    @Test
    void aReleasedReferenceArrayPinsNothing() {
        Object[] o = ArrayShelf.objects(1002, Object.class, 0);
        java.util.Arrays.fill(o, new Object());
        Shelf.release(o);
        assertThat(o).as("nulled on release, not on the next acquire").containsOnlyNulls();
    }

    @Test
    void anotherLengthGetsAFreshArray() {
        byte[] b = ArrayShelf.bytes(1003, 0);
        Shelf.release(b);
        byte[] other = ArrayShelf.bytes(1004, 0);
        assertThat(other).isNotSameAs(b).hasSize(1004);
        assertThat(ArrayShelf.bytes(1003, 0)).isSameAs(b);
        assertThat(Shelf.stats().pool("byte[1003]")).isPresent();
        assertThat(Shelf.stats().pool("byte[1004]")).isPresent();
    }

    @Test
    void lengthZeroAndNegativeLengthsBehaveAsNew() {
        byte[] empty = ArrayShelf.bytes(0, 0);
        assertThat(empty).isEmpty();
        assertThat(ArrayShelf.bytes(0, 0)).isNotSameAs(empty);
        Shelf.release(empty); // accepted, nothing to pool
        assertThat(ArrayShelf.objects(0, String.class, 0)).isInstanceOf(String[].class).isEmpty();
        assertThatThrownBy(() -> ArrayShelf.bytes(-1, 0)).isInstanceOf(NegativeArraySizeException.class);
        assertThatThrownBy(() -> ArrayShelf.objects(-1, String.class, 0))
                .isInstanceOf(NegativeArraySizeException.class);
        assertThatThrownBy(() -> ArrayShelf.doubles(-5, 0)).isInstanceOf(NegativeArraySizeException.class);
    }

    @Test
    void anArrayNoPooledSiteMadeIsLeftAlone() {
        byte[] plain = new byte[1005];
        Shelf.release(plain); // does nothing
        assertThat(ArrayShelf.release(plain)).isFalse();
        assertThat(ArrayShelf.bytes(1005, 0)).isNotSameAs(plain);

        Strict.enable(true);
        assertThatThrownBy(() -> Shelf.release(new int[7]))
                .isInstanceOf(PoolMisuseException.class)
                .hasMessageContaining("int[7]")
                .hasMessageContaining("new @Pooled T[n]");
        Shelf.release(new int[0]); // length 0: nothing to give back, even in strict mode
    }

    @Test
    void aDoubleReleaseIsRefusedCountedAndNeverPoolsTwice() {
        int site = Sites.register(ArrayShelf.sitesKey("long"), "ArrayShelfTest.twice:1");
        long[] a = ArrayShelf.longs(1006, site);
        Shelf.release(a);
        Shelf.release(a); // refused
        long[] x = ArrayShelf.longs(1006, site);
        long[] y = ArrayShelf.longs(1006, site);
        assertThat(x).isSameAs(a);
        assertThat(y).as("pooled once: the second acquire allocates").isNotSameAs(a);

        ShelfStats.PoolStats p = Shelf.stats().pool("long[1006]").orElseThrow();
        assertThat(p.acquired()).isEqualTo(3);
        assertThat(p.reused()).isEqualTo(1);
        assertThat(p.released()).isEqualTo(1);
        assertThat(p.sites()).anySatisfy(s -> {
            assertThat(s.site()).isEqualTo("ArrayShelfTest.twice:1");
            assertThat(s.acquired()).isEqualTo(3);
            assertThat(s.doubleReleases()).isEqualTo(1);
        });
        assertThat(dev.shelf.internal.pool.DoubleRelease.count("long[1006]")).isEqualTo(1);

        // Released, reacquired, released: not a double release.
        Shelf.release(x);
        Shelf.release(y);
        assertThat(Shelf.stats().pool("long[1006]").orElseThrow().released()).isEqualTo(3);
    }

    @Test
    void strictModeThrowsOnADoubleReleaseAndPoisonsReleasedArrays() {
        Strict.enable(true);
        byte[] b = ArrayShelf.bytes(1007, 0);
        b[0] = 1;
        Shelf.release(b);
        assertThat(b).as("a use after release reads poison").containsOnly(Strict.RELEASED_BYTE);
        assertThatThrownBy(() -> Shelf.release(b))
                .isInstanceOf(PoolMisuseException.class)
                .hasMessageContaining("double release of a byte[1007]")
                .hasCauseInstanceOf(Throwable.class);
        assertThat(ArrayShelf.bytes(1007, 0)).as("zeroed again on acquire").isSameAs(b).containsOnly((byte) 0);

        int[] i = ArrayShelf.ints(1007, 0);
        Shelf.release(i);
        assertThat(i).containsOnly(Strict.RELEASED_INT);
        double[] d = ArrayShelf.doubles(1007, 0);
        Shelf.release(d);
        assertThat(Double.isNaN(d[0]) && Double.isNaN(d[1006])).isTrue();
        boolean[] z = ArrayShelf.booleans(1007, 0);
        Shelf.release(z);
        assertThat(z).containsOnly(true);
        Object[] o = ArrayShelf.objects(1007, String.class, 0);
        Shelf.release(o);
        assertThatThrownBy(() -> Shelf.release(o)).isInstanceOf(PoolMisuseException.class)
                .hasMessageContaining("java.lang.String[1007]");
    }

    @Test
    void withoutTheAgentEveryCallIsNew() throws Exception {
        Field active = ShelfRegistry.class.getDeclaredField("active");
        active.setAccessible(true);
        active.setBoolean(null, false);
        try {
            byte[] b = ArrayShelf.bytes(1008, 0);
            Shelf.release(b);
            assertThat(ArrayShelf.release(b)).as("not filed: not ours").isFalse();
            assertThat(ArrayShelf.bytes(1008, 0)).isNotSameAs(b).hasSize(1008);
            assertThat(ArrayShelf.objects(1008, String.class, 0)).isInstanceOf(String[].class);
        } finally {
            active.setBoolean(null, true);
        }
        assertThat(Shelf.stats().pool("byte[1008]")).as("no pool made while inactive").isEmpty();
    }

    @Test
    void garbageCollectionsEvictIdleArrays() {
        byte[] b = ArrayShelf.bytes(1009, 0);
        Shelf.release(b);
        ClassPool pool = ArrayPools.BYTES.find(1009);
        assertThat(pool).isNotNull();
        Collector.collected(pool, true); // under pressure: every idle array goes
        byte[] fresh = ArrayShelf.bytes(1009, 0);
        assertThat(fresh).isNotSameAs(b);
        ShelfStats.PoolStats p = Shelf.stats().pool("byte[1009]").orElseThrow();
        assertThat(p.evicted()).isEqualTo(1);
        assertThat(p.idle()).isZero();

        // Without pressure: kept across one collection, dropped after the second.
        Shelf.release(fresh);
        Collector.collected(pool, false);
        Collector.collected(pool, false);
        assertThat(ArrayShelf.bytes(1009, 0)).isNotSameAs(fresh);
        // An evicted array was released: releasing it again is still a double release, never a pooling.
        Shelf.release(fresh);
        assertThat(Shelf.stats().pool("byte[1009]").orElseThrow().sites())
                .anySatisfy(s -> assertThat(s.doubleReleases()).isEqualTo(1));
    }

    /** Element type of its own, so that this test owns every length's pool of it. */
    static final class Marker {
    }

    @Test
    void lengthsPastTheBoundAreAllocatedButStillChecked() {
        for (int n = 1; n <= ArrayPools.MAX_LENGTHS; n++) {
            Object[] a = ArrayShelf.objects(n, Marker.class, 0);
            Shelf.release(a);
            assertThat(ArrayShelf.objects(n, Marker.class, 0)).isSameAs(a);
        }
        int past = ArrayPools.MAX_LENGTHS + 1;
        Object[] a = ArrayShelf.objects(past, Marker.class, 0);
        assertThat(a).isInstanceOf(Marker[].class).hasSize(past);
        assertThat(ArrayShelf.release(a)).as("accepted").isTrue();
        assertThat(ArrayShelf.objects(past, Marker.class, 0)).as("not pooled").isNotSameAs(a);
        Strict.enable(true);
        assertThatThrownBy(() -> Shelf.release(a)).isInstanceOf(PoolMisuseException.class)
                .hasMessageContaining("double release");
        assertThat(ArrayPools.of(Marker.class).find(past)).isNull();
    }

    /**
     * What the 0 B/op claim rests on: once every pool and ticket exists, an acquire and a release allocate nothing
     * (no ticket, no boxing, no lookup garbage). Measured with the thread's allocation counter over 100 000 pairs of
     * 1 KiB arrays, so even one small allocation per pair would show as megabytes.
     */
    @Test
    void steadyStateAcquireAndReleaseAllocateNothing() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled());
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        long id = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) {
            pair();
        }
        long before = counter.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            pair();
        }
        long allocated = counter.getThreadAllocatedBytes(id) - before;
        assertThat(allocated).as("bytes allocated by 100 000 acquire/release pairs").isLessThan(64 * 1024);
    }

    private static void pair() {
        byte[] b = ArrayShelf.bytes(1011, 0);
        b[0] = 1;
        Shelf.release(b);
        Object[] o = ArrayShelf.objects(1011, String.class, 0);
        o[0] = "x";
        Shelf.release(o);
    }

    /**
     * Four threads acquire, stamp, check and release arrays of one length, half of them on their own thread and half
     * handed to another thread to release. An array handed to two holders at once shows as a stamp overwritten.
     */
    @Test
    void aReleasedArrayIsNeverHeldTwiceUnderStress() throws Exception {
        int length = 1010;
        int threads = 4;
        long deadline = System.nanoTime() + 1_500_000_000L;
        ConcurrentLinkedQueue<int[]> handOff = new ConcurrentLinkedQueue<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t + 1;
            Thread w = new Thread(() -> {
                try {
                    for (int round = 0; System.nanoTime() < deadline && failure.get() == null; round++) {
                        int[] a = ArrayShelf.ints(length, 0);
                        for (int v : a) {
                            if (v != 0) {
                                throw new AssertionError("acquired an array that is not zero: " + v);
                            }
                        }
                        int stamp = id << 24 | (round & 0xFFFFFF);
                        java.util.Arrays.fill(a, stamp);
                        Thread.yield();
                        for (int v : a) {
                            if (v != stamp) {
                                throw new AssertionError("holder " + id + " found " + Integer.toHexString(v)
                                        + ": the array has another holder");
                            }
                        }
                        if ((round & 1) == 0) {
                            Shelf.release(a);
                        } else {
                            handOff.add(a); // another thread releases it
                        }
                        int[] other = handOff.poll();
                        if (other != null) {
                            Shelf.release(other);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "array-stress-" + id);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join(30_000);
        }
        for (int[] left; (left = handOff.poll()) != null; ) {
            Shelf.release(left);
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        ShelfStats.PoolStats p = Shelf.stats().pool("int[1010]").orElseThrow();
        assertThat(p.acquired()).isEqualTo(p.released());
        assertThat(p.reused()).as("arrays came back and were reused").isGreaterThan(p.allocated());
        assertThat(p.sites()).allSatisfy(s -> assertThat(s.doubleReleases()).isZero());
    }
}
