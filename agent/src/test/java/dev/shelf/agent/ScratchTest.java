package dev.shelf.agent;

import dev.shelf.Shelf;
import dev.shelf.agent.report.ShelfLog;
import dev.shelf.internal.Strict;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @Scratch}: an owned primitive array kept on reuse without zeroing — the one documented exception to "reused
 * equals fresh" — and, in strict mode, filled with a poison pattern on every reuse so that stale reads show.
 */
class ScratchTest {

    private static final String SITES = ReinitCorpusTest.CORPUS + ".Sites";

    @Test
    void scratchArraysAreKeptAsTheyAreAndOthersZeroed() throws Exception {
        ShelfTestLoader loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        Object a = loader.call(SITES, "scratchBuffers", 5);
        call(a, "fill");
        byte[] body = (byte[]) call(a, "body");
        long[] words = (long[]) call(a, "words");
        Shelf.release(a);

        Object b = loader.call(SITES, "scratchBuffers", 5);

        assertThat(b).isSameAs(a);
        assertThat(call(b, "body")).isSameAs(body);
        assertThat(body).as("@Scratch: not zeroed").containsOnly(7);
        assertThat(call(b, "words")).isSameAs(words);
        assertThat(words).as("@Scratch of computed length, same length: not zeroed").containsOnly(9L);
        assertThat((int[]) call(b, "zeroed")).as("not @Scratch: zeroed").containsOnly(0);
        assertThat((byte[]) call(b, "notOwned")).as("@Scratch ignored: made anew").containsOnly(0);
        Shelf.release(b);

        Object c = loader.call(SITES, "scratchBuffers", 6);
        assertThat(c).isSameAs(a);
        assertThat((long[]) call(c, "words")).as("another length: a new, zeroed array").isNotSameAs(words)
                .hasSize(6).containsOnly(0L);
        Shelf.release(c);
    }

    @Test
    void strictModePoisonsScratchArraysOnEveryReuse() throws Exception {
        ShelfTestLoader loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS, true);
        Strict.enable(true);
        try {
            Object a = loader.call(SITES, "scratchBuffers", 3);
            call(a, "fill");
            Shelf.release(a);
            Object b = loader.call(SITES, "scratchBuffers", 3);
            assertThat(b).isSameAs(a);
            assertThat((byte[]) call(b, "body")).containsOnly((byte) 0xA5);
            assertThat((long[]) call(b, "words")).containsOnly(0xA5A5A5A5A5A5A5A5L);
            assertThat((int[]) call(b, "zeroed")).containsOnly(0);
            Shelf.release(b);
        } finally {
            Strict.enable(false);
        }
    }

    @Test
    void aScratchThatCannotApplyIsIgnoredWithOneWarning() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ShelfLog.forgetWarnings();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            new ShelfTestLoader(ReinitCorpusTest.CORPUS).loadClass(ReinitCorpusTest.CORPUS + ".ScratchBuffers");
        } finally {
            System.setErr(err);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(out.lines().filter(l -> l.contains("@Scratch on"))).singleElement().asString()
                .startsWith("[shelf] WARN @Scratch on dev.shelf.corpus.ScratchBuffers.notOwned is ignored: it applies "
                        + "only to a primitive array the object owns")
                .contains("it is neither final nor private")
                .endsWith("The field is made anew on every reuse");
    }

    private static Object call(Object o, String method) throws Exception {
        return o.getClass().getMethod(method).invoke(o);
    }
}
