package dev.shelf.agent;

import dev.shelf.Shelf;
import dev.shelf.ShelfStats;
import dev.shelf.internal.ClassShelf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-allocation-site statistics of rewritten code: each {@code new} of a pooled class is its own site, named
 * {@code Class.method:line} after its real source line, and a release counts for the site that acquired the object
 * — whichever thread releases it — because the object remembers its site.
 */
class SiteStatisticsTest {

    static final String TALLY = ReinitCorpusTest.CORPUS + ".Tally";
    static final String SITES = ReinitCorpusTest.CORPUS + ".TallySites";
    static ShelfTestLoader loader;

    @BeforeAll
    static void load() {
        loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
    }

    /** The line of {@code // site: name} in TallySites.java, read from the source. */
    private static int line(String name) throws IOException {
        Path source = Path.of("src/test/java/dev/shelf/corpus/TallySites.java");
        List<String> lines = Files.readAllLines(source);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("// site: " + name)) {
                return i + 1;
            }
        }
        throw new AssertionError("no marker for " + name + " in " + source);
    }

    /** The pool of this loader's Tally, from its generated static field (other loaders may have their own). */
    private static ShelfStats.PoolStats stats() throws Exception {
        Class<?> tally = loader.loadClass(TALLY);
        Field pool = tally.getDeclaredField("$shelf$pool");
        pool.setAccessible(true);
        return ((ClassShelf) pool.get(null)).snapshot();
    }

    @Test
    void eachSiteIsCountedUnderItsRealNameAndReleasesFollowTheAcquiringSite() throws Exception {
        String parse = SITES + ".parse:" + line("parse");
        String render = SITES + ".render:" + line("render");

        // parse: 10 acquires, each released on this thread; the first allocates, the rest reuse
        for (int i = 0; i < 10; i++) {
            Shelf.release(loader.call(SITES, "parse"));
        }
        // render: 4 acquires on another thread, released here; then 3 acquires kept (never released)
        BlockingQueue<Object> handOff = new ArrayBlockingQueue<>(4);
        Threads.run(() -> {
            for (int i = 0; i < 4; i++) {
                handOff.add(loader.call(SITES, "render"));
            }
        });
        for (Object o : handOff) {
            Shelf.release(o);
        }
        Object kept = null;
        for (int i = 0; i < 3; i++) {
            kept = loader.call(SITES, "render");
        }
        // a double release of a render object counts for render
        Shelf.release(kept);
        Shelf.release(kept);

        ShelfStats.PoolStats p = stats();
        assertThat(p.sites()).extracting(ShelfStats.SiteStats::site).containsExactlyInAnyOrder(parse, render);
        ShelfStats.SiteStats ps = p.site(parse).orElseThrow();
        assertThat(ps.acquired()).isEqualTo(10);
        assertThat(ps.allocated()).isEqualTo(1);
        assertThat(ps.reused()).isEqualTo(9);
        assertThat(ps.released()).isEqualTo(10);
        assertThat(ps.doubleReleases()).isZero();
        ShelfStats.SiteStats rs = p.site(render).orElseThrow();
        assertThat(rs.acquired()).isEqualTo(7);
        assertThat(rs.allocated()).as("the other thread had nothing idle: 4 allocations").isEqualTo(4);
        assertThat(rs.reused()).as("3 reuse what the other thread's objects left here").isEqualTo(3);
        assertThat(rs.released()).as("released here, acquired there: counted for render").isEqualTo(5);
        assertThat(rs.doubleReleases()).isEqualTo(1);
        for (ShelfStats.SiteStats s : p.sites()) {
            assertThat(s.acquired()).as(s.site()).isEqualTo(s.reused() + s.allocated());
        }
        assertThat(p.acquired()).isEqualTo(17);
        assertThat(p.released()).isEqualTo(15);
    }

    /** Runs a body on a new platform thread and waits for it. */
    private static final class Threads {
        static void run(Runnable body) throws InterruptedException {
            Thread t = new Thread(body, "site-statistics");
            java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                    new java.util.concurrent.atomic.AtomicReference<>();
            t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
            t.start();
            t.join();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
        }
    }
}
