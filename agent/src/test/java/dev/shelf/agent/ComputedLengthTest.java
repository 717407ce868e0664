package dev.shelf.agent;

import dev.shelf.Shelf;
import dev.shelf.agent.report.ShelfLog;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Owned arrays and containers whose length or capacity the constructor computes (from configuration, a constructor
 * argument, arithmetic): reused when the computed length is the kept one's, made anew at exactly the computed length
 * otherwise, and explained either way.
 */
class ComputedLengthTest {

    private static final String SITES = ReinitCorpusTest.CORPUS + ".Sites";
    private static final int BUFFER = 64 * 1024;
    private static ShelfTestLoader loader;
    private static String explained;
    private static String previousSize;

    @BeforeAll
    static void load() throws Exception {
        previousSize = System.getProperty("app.bufferSize");
        System.setProperty("app.bufferSize", Integer.toString(BUFFER)); // read when ConfiguredRequest initialises
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ShelfLog.setExplain(true);
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
            loader.loadClass(ReinitCorpusTest.CORPUS + ".ComputedBuffers");
            loader.loadClass(ReinitCorpusTest.CORPUS + ".ConfiguredRequest");
            loader.loadClass(ReinitCorpusTest.CORPUS + ".NotOwned");
            loader.loadClass(ReinitCorpusTest.CORPUS + ".OwnedBuffers");
        } finally {
            System.setErr(err);
            ShelfLog.setExplain(false);
        }
        explained = captured.toString(StandardCharsets.UTF_8);
    }

    @AfterAll
    static void restore() {
        if (previousSize == null) {
            System.clearProperty("app.bufferSize");
        } else {
            System.setProperty("app.bufferSize", previousSize);
        }
    }

    @Test
    void configuredBufferIsReusedAllocatingAlmostNothing() {
        double pooled = bytesPerCycle(() -> loader.call(SITES, "configuredCycles", 100_000), 100_000);
        double plain = bytesPerCycle(() -> dev.shelf.corpus.Sites.configuredCycles(5_000), 5_000);
        System.out.printf("[alloc] ConfiguredRequest (byte[SIZE], SIZE from a system property = %d): pooled %.2f "
                + "bytes/cycle over 100000 cycles, plain new %.0f bytes/cycle%n", BUFFER, pooled, plain);
        assertThat(pooled).isLessThanOrEqualTo(64);
        assertThat(plain).as("the baseline really allocates the buffer").isGreaterThan(BUFFER);
    }

    @Test
    void bufferSizedByConstructorArgumentIsReusedAllocatingAlmostNothing() {
        double pooled = bytesPerCycle(() -> loader.call(SITES, "sizedCycles", 100_000, BUFFER), 100_000);
        double plain = bytesPerCycle(() -> dev.shelf.corpus.Sites.sizedCycles(5_000, BUFFER), 5_000);
        System.out.printf("[alloc] SizedRequest (byte[size], size a constructor argument = %d): pooled %.2f "
                + "bytes/cycle over 100000 cycles, plain new %.0f bytes/cycle%n", BUFFER, pooled, plain);
        assertThat(pooled).isLessThanOrEqualTo(64);
        assertThat(plain).isGreaterThan(BUFFER);
    }

    @Test
    void anotherLengthGetsAFreshZeroedArrayOfExactlyThatLength() throws Exception {
        Object a = loader.call(SITES, "sizedRequest", 100);
        a.getClass().getMethod("use", int.class).invoke(a, 100);
        byte[] first = body(a);
        Shelf.release(a);

        Object b = loader.call(SITES, "sizedRequest", 37);

        assertThat(b).isSameAs(a);
        byte[] second = body(b);
        assertThat(second).isNotSameAs(first).hasSize(37).containsOnly(0);
        b.getClass().getMethod("use", int.class).invoke(b, 37);
        Shelf.release(b);

        Object c = loader.call(SITES, "sizedRequest", 37);
        assertThat(c).isSameAs(a);
        assertThat(body(c)).as("the same length again: the kept array, zeroed").isSameAs(second).containsOnly(0);
        Shelf.release(c);
    }

    @Test
    void everyComputedShapeKeepsWhatHasTheSameLength() throws Exception {
        Object a = loader.call(SITES, "computedBuffers", 7);
        a.getClass().getMethod("fill").invoke(a);
        byte[] body = (byte[]) call(a, "body");
        char[] chars = (char[]) call(a, "chars");
        long[] longs = (long[]) call(a, "longs");
        Object list = call(a, "list");
        Object text = call(a, "text");
        Shelf.release(a);

        Object b = loader.call(SITES, "computedBuffers", 7);
        assertThat(b).isSameAs(a);
        assertThat(call(b, "body")).as("byte[size]").isSameAs(body);
        assertThat(body).containsOnly(0);
        assertThat(call(b, "chars")).as("char[n]").isSameAs(chars);
        assertThat(chars).containsOnly((char) 0);
        assertThat(call(b, "longs")).as("long[n * 2 + 1]").isSameAs(longs);
        assertThat(longs).containsOnly(0L);
        assertThat(call(b, "list")).as("new ArrayList<>(n)").isSameAs(list);
        assertThat(call(b, "text")).as("new StringBuilder(n + 16)").isSameAs(text).hasToString("");
        Shelf.release(b);

        Object c = loader.call(SITES, "computedBuffers", 9);
        assertThat(c).isSameAs(a);
        assertThat(call(c, "body")).as("size did not change").isSameAs(body);
        assertThat((char[]) call(c, "chars")).as("n changed: a new array").isNotSameAs(chars).hasSize(9);
        assertThat((long[]) call(c, "longs")).isNotSameAs(longs).hasSize(19);
        Shelf.release(c);
    }

    @Test
    void aCapacityTheConstructorRefusesThrowsAsNewWould() throws Exception {
        Object a = loader.call(SITES, "computedBuffers", 5);
        Shelf.release(a);
        // new PriorityQueue<>(0) throws; the kept queue must not hide that
        assertThatThrownBy(() -> loader.call(SITES, "computedBuffers", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new dev.shelf.corpus.ComputedBuffers(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void explainSaysWhatIsKeptAndWhatIsNot() {
        assertThat(explained)
                .contains("dev.shelf.corpus.ConfiguredRequest.body: kept: byte[SIZE], zeroed on reuse when the length "
                        + "the constructor computes is the kept array's length, else allocated at that length")
                .contains("dev.shelf.corpus.ComputedBuffers.ints: kept: int[(size / 4) + 1]")
                .contains("dev.shelf.corpus.ComputedBuffers.longs: kept: long[(n * 2) + 1]")
                .contains("dev.shelf.corpus.ComputedBuffers.doubles: kept: double[Math.max(2, size >> 3)]")
                .contains("dev.shelf.corpus.ComputedBuffers.floats: kept: float[ints.length]")
                .contains("dev.shelf.corpus.ComputedBuffers.list: kept: ArrayList, emptied on release")
                .contains("dev.shelf.corpus.OwnedBuffers.buffer: kept: byte[16384], zeroed on reuse")
                .contains("dev.shelf.corpus.OwnedBuffers.child: pooled child dev.shelf.corpus.Primitives: released "
                        + "with its owner")
                .contains("dev.shelf.corpus.NotOwned.replaceable: made anew on every reuse: it is not final and is "
                        + "assigned outside the constructors (make it final)")
                .contains("dev.shelf.corpus.NotOwned.visible: made anew on every reuse: it is neither final nor "
                        + "private");
    }

    /** One line per class: the emit strategy that wrote it, and why each cheaper one declined. */
    @Test
    void explainSaysWhichStrategyWroteEachClassAndWhy() {
        assertThat(explained).contains("dev.shelf.corpus.ComputedBuffers: written by WriteInFull; SitesFromBytes: "
                + "pooled class: written in full; PatchInPlace: pooled class: written in full; ReplaceChangedMethods: "
                + "pooled class: written in full");
    }

    private static byte[] body(Object o) throws Exception {
        return (byte[]) o.getClass().getMethod("body").invoke(o);
    }

    private static Object call(Object o, String method) throws Exception {
        return o.getClass().getMethod(method).invoke(o);
    }

    private static double bytesPerCycle(Runnable cycles, int n) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        cycles.run(); // warm up: fill the pool, link call sites, compile
        long before = threads.getThreadAllocatedBytes(self);
        cycles.run();
        return (threads.getThreadAllocatedBytes(self) - before) / (double) n;
    }
}
