package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;
import dev.shelf.internal.Sites;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Per-allocation-site counters: what generated code does (acquire with the site's number, release with the number
 * the object remembered) must add up per site and to the class's totals.
 */
class SiteCountingTest {

    // One class per test: site tables are per class name and global to the JVM.
    static final class OneThread {
    }

    static final class Across {
    }

    static final class Full {
    }

    static final class Refused {
    }

    static final class Ended {
    }

    static final class Unknown {
    }

    static final class Virtual {
    }

    static final class Numbered {
    }

    /** Every site and the class: acquired = reused + allocated, and the sites add up to the class. */
    private static void assertConserved(ShelfStats.PoolStats p) {
        long acquired = 0;
        long allocated = 0;
        long released = 0;
        long dropped = 0;
        for (ShelfStats.SiteStats s : p.sites()) {
            assertThat(s.acquired()).as(s.site() + ": acquired = reused + allocated")
                    .isEqualTo(s.reused() + s.allocated());
            acquired += s.acquired();
            allocated += s.allocated();
            released += s.released();
            dropped += s.dropped();
        }
        assertThat(p.acquired()).as("sites add up to the class").isEqualTo(acquired);
        assertThat(p.allocated()).isEqualTo(allocated);
        assertThat(p.released()).isEqualTo(released);
        assertThat(p.dropped()).isEqualTo(dropped);
        assertThat(p.acquired()).isEqualTo(p.reused() + p.allocated());
        assertThat(p.released()).as("released = reused + dropped + evicted + idle")
                .isEqualTo(p.reused() + p.dropped() + p.evicted() + p.idle());
    }

    private static ShelfStats.SiteStats site(ShelfStats.PoolStats p, String name) {
        return p.site(name).orElseThrow(() -> new AssertionError("no site " + name + " in " + p.sites()));
    }

    @Test
    void sitesAreNumberedPerClassAndOncePerName() {
        String cls = Numbered.class.getName();
        int a = Sites.register(cls, "x.Y.a:1");
        int b = Sites.register(cls.replace('.', '/'), "x.Y.b:2");
        assertThat(a).isEqualTo(1);
        assertThat(b).isEqualTo(2);
        assertThat(Sites.register(cls, "x.Y.a:1")).as("the same name, the same number").isEqualTo(a);
        assertThat(Sites.names(cls)).containsExactly(Sites.UNATTRIBUTED_NAME, "x.Y.a:1", "x.Y.b:2");
        assertThat(Sites.register("some.Other", "x.Y.a:1")).as("numbers are per class").isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sites.register(cls, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachSiteCountsItsOwnAcquiresHitsMissesAndReleases() {
        ClassPool shelf = new ClassPool(OneThread.class, 8, 0);
        int parse = Sites.register(OneThread.class.getName(), "a.Handler.parse:10");
        int render = Sites.register(OneThread.class.getName(), "a.Handler.render:20");
        Sites.register(OneThread.class.getName(), "a.Handler.neverRuns:30");

        // parse: 3 acquires, the first allocates; each object goes back
        Object o = new OneThread();
        assertThat(shelf.acquire(parse)).isNull();
        shelf.release(o, parse);
        for (int i = 0; i < 2; i++) {
            assertThat(shelf.acquire(parse)).isSameAs(o);
            shelf.release(o, parse);
        }
        // render: reuses parse's object, and keeps it
        assertThat(shelf.acquire(render)).isSameAs(o);

        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.sites()).extracting(ShelfStats.SiteStats::site)
                .as("a site that never acquired is not listed").containsExactly("a.Handler.parse:10",
                        "a.Handler.render:20");
        assertThat(site(p, "a.Handler.parse:10")).isEqualTo(
                new ShelfStats.SiteStats("a.Handler.parse:10", 3, 2, 1, 3, 0, 0));
        assertThat(site(p, "a.Handler.render:20")).isEqualTo(
                new ShelfStats.SiteStats("a.Handler.render:20", 1, 1, 0, 0, 0, 0));
        assertConserved(p);
    }

    @Test
    void aReleaseOnAnotherThreadCountsForTheSiteThatAcquired() throws Exception {
        ClassPool shelf = new ClassPool(Across.class, 16, 64);
        int producer = Sites.register(Across.class.getName(), "a.Producer.make:5");
        int local = Sites.register(Across.class.getName(), "a.Consumer.local:9");
        BlockingQueue<Object> handOff = new ArrayBlockingQueue<>(100);
        Threads.runOn(i -> {
            for (int n = 0; n < 100; n++) {
                Object o = shelf.acquire(producer);
                handOff.add(o == null ? new Across() : o);
            }
        });
        // This thread releases what the producer thread acquired, with the site each object remembered.
        List<Object> objects = new ArrayList<>(handOff);
        for (Object o : objects) {
            shelf.release(o, producer);
        }
        for (int n = 0; n < 10; n++) {
            Object o = shelf.acquire(local);
            shelf.release(o == null ? new Across() : o, local);
        }

        ShelfStats.PoolStats p = shelf.snapshot();
        ShelfStats.SiteStats made = site(p, "a.Producer.make:5");
        assertThat(made.acquired()).isEqualTo(100);
        assertThat(made.allocated()).as("nothing was idle on the producer thread").isEqualTo(100);
        assertThat(made.released()).as("released on another thread, counted for the acquiring site").isEqualTo(100);
        ShelfStats.SiteStats used = site(p, "a.Consumer.local:9");
        assertThat(used.acquired()).isEqualTo(10);
        assertThat(used.reused()).as("the consumer reuses what the producer's objects left").isEqualTo(10);
        assertThat(used.released()).isEqualTo(10);
        assertConserved(p);
    }

    @Test
    void dropsAreCountedForTheSiteWhoseObjectWasDropped() {
        ClassPool shelf = new ClassPool(Full.class, 2, 0);
        int a = Sites.register(Full.class.getName(), "a.A.run:1");
        int b = Sites.register(Full.class.getName(), "a.B.run:2");
        List<Object> fromA = new ArrayList<>();
        List<Object> fromB = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertThat(shelf.acquire(a)).isNull();
            fromA.add(new Full());
            assertThat(shelf.acquire(b)).isNull();
            fromB.add(new Full());
        }
        fromA.forEach(o -> shelf.release(o, a)); // two fit, the third is dropped
        fromB.forEach(o -> shelf.release(o, b)); // all three dropped
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(site(p, "a.A.run:1").dropped()).isEqualTo(1);
        assertThat(site(p, "a.B.run:2").dropped()).isEqualTo(3);
        assertThat(p.dropped()).isEqualTo(4);
        assertConserved(p);
    }

    @Test
    void doubleReleasesAreCountedForTheAcquiringSite() {
        ClassPool shelf = new ClassPool(Refused.class, 4, 0);
        int a = Sites.register(Refused.class.getName(), "a.Twice.run:7");
        Object o = shelf.acquire(a);
        assertThat(o).isNull();
        Refused r = new Refused();
        shelf.release(r, a);
        shelf.refuse(r, a); // what generated code does when the object's compare-and-set refuses a second release
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(site(p, "a.Twice.run:7").doubleReleases()).isEqualTo(1);
        assertThat(site(p, "a.Twice.run:7").released()).as("the refused release is not a release").isEqualTo(1);
        assertThat(DoubleRelease.count(Refused.class.getName())).isEqualTo(1);
    }

    @Test
    void anEndedThreadsCountsStayWithItsSites() throws Exception {
        ClassPool shelf = new ClassPool(Ended.class, 4, 0);
        int a = Sites.register(Ended.class.getName(), "a.Short.lived:3");
        Threads.runOn(i -> {
            for (int n = 0; n < 10; n++) {
                Object o = shelf.acquire(a);
                shelf.release(o == null ? new Ended() : o, a);
            }
        });
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(shelf.threadShelves()).as("the ended thread's shelf was folded").isZero();
        assertThat(site(p, "a.Short.lived:3")).isEqualTo(new ShelfStats.SiteStats("a.Short.lived:3", 10, 9, 1, 10,
                0, 0));
        assertThat(p.evicted()).as("its idle object went with it").isEqualTo(1);
        assertConserved(p);
    }

    @Test
    void objectsFromNoRewrittenSiteAndUnknownNumbersCountAsUnattributed() {
        ClassPool shelf = new ClassPool(Unknown.class, 4, 0);
        Unknown u = new Unknown();
        shelf.release(u);                // made by plain new, released: no site
        assertThat(shelf.acquire()).isSameAs(u);
        assertThat(shelf.acquire(-5)).as("a bad number counts as no site").isNull();
        int late = 40; // a number this class's table does not have yet: the counter array grows on the slow path
        shelf.release(u, late);
        assertThat(shelf.acquire(late)).isSameAs(u);
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(site(p, Sites.UNATTRIBUTED_NAME)).isEqualTo(
                new ShelfStats.SiteStats(Sites.UNATTRIBUTED_NAME, 2, 1, 1, 1, 0, 0));
        assertThat(site(p, "site #40")).isEqualTo(new ShelfStats.SiteStats("site #40", 1, 1, 0, 1, 0, 0));
        assertConserved(p);
    }

    @Test
    void virtualThreadsCountPerSiteToo() throws Exception {
        Method m = null;
        try {
            m = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        } catch (NoSuchMethodException e) {
            // Java 17: no virtual threads
        }
        assumeThat(m).as("virtual threads (Java 21+)").isNotNull();
        ClassPool shelf = new ClassPool(Virtual.class, 16, 64);
        int a = Sites.register(Virtual.class.getName(), "a.Loom.run:1");
        ExecutorService executor = (ExecutorService) m.invoke(null);
        try {
            for (int i = 0; i < 1_000; i++) {
                executor.execute(() -> {
                    Object o = shelf.acquire(a);
                    shelf.release(o == null ? new Virtual() : o, a);
                });
            }
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        }
        ShelfStats.PoolStats p = shelf.snapshot();
        ShelfStats.SiteStats s = site(p, "a.Loom.run:1");
        assertThat(s.acquired()).isEqualTo(1_000);
        assertThat(s.released()).isEqualTo(1_000);
        assertThat(s.reused()).isPositive();
        assertConserved(p);
    }
}
