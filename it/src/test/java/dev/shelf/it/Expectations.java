package dev.shelf.it;

import org.assertj.core.api.SoftAssertions;

import java.util.List;

/**
 * What every comparison must show, wherever the apps ran. Deterministic facts only — counts, ratios of allocated
 * bytes, hit ratios — never times.
 */
final class Expectations {

    /** The bar for steady-state reuse. */
    static final double MIN_HIT_RATIO = 0.95;

    private Expectations() {
    }

    /** @return the workload for an app, with request counts from {@code shelf.it.requests} / {@code shelf.it.batches} */
    static Workload workload(App app) {
        Workload w = app.defaultWorkload();
        if (app == App.INGEST) {
            return w.withRequests(Integer.getInteger("shelf.it.batches", w.requests()));
        }
        return app == App.HTTP ? w.withRequests(Integer.getInteger("shelf.it.requests", w.requests())) : w;
    }

    static void check(Comparison c) {
        String where = c.title();
        SoftAssertions soft = new SoftAssertions();
        for (ModeSummary m : List.of(c.without(), c.with())) {
            String ctx = where + ", " + m.label() + ": " + summaries(m);
            soft.assertThat(m.contaminated()).as("contaminated %s — %s", c.app().units(), ctx).isZero();
            soft.assertThat(m.errors()).as("failed %s — %s", c.app().units(), ctx).isZero();
            soft.assertThat(m.ok()).as("correct answers — %s", ctx).isEqualTo(m.requests());
            soft.assertThat(m.handled()).as("%s the app counted — %s", c.app().units(), ctx).isEqualTo(m.requests());
            long itemsSent = m.runs().stream().mapToLong(r -> r.load().items()).sum();
            if (c.app() == App.INGEST) {
                soft.assertThat(m.items()).as("CSV lines the app counted — %s", ctx).isEqualTo(itemsSent);
            }
            soft.assertThat(m.oomKilled()).as("container OOM-killed — %s", ctx).isFalse();
            if (c.memoryLimitBytes() > 0) {
                soft.assertThat(m.memoryLimitBytes()).as("memory limit the app's cgroup reports — %s", ctx)
                        .isEqualTo(c.memoryLimitBytes());
            }
        }
        soft.assertThat(c.without().active()).as("%s: Shelf active without the agent", where).isFalse();
        soft.assertThat(c.without().anyPools()).as("%s: pools without the agent", where).isFalse();
        soft.assertThat(c.with().active()).as("%s: Shelf active with the agent", where).isTrue();
        for (String cls : c.app().pooledClasses()) {
            ModeSummary.PoolDelta p = c.with().pool(cls);
            String ctx = where + ", with agent, measured load only: " + p;
            long expected = expectedAcquisitions(c, cls);
            if (expected >= 0) {
                soft.assertThat(p.acquired()).as("acquisitions of %s — %s", p.simpleName(), ctx).isEqualTo(expected);
            }
            soft.assertThat(p.released()).as("releases of %s — %s", p.simpleName(), ctx).isEqualTo(p.acquired());
            if (p.acquired() > 0) {
                soft.assertThat(p.hitRatio()).as("steady-state hit ratio of %s — %s", p.simpleName(), ctx)
                        .isGreaterThanOrEqualTo(MIN_HIT_RATIO);
            }
        }
        soft.assertThat(c.assertedRatio())
                .as("%s: allocated bytes per %s with the agent / without, %s scope (with %.0f, without %.0f"
                                + " handler-scope bytes; with %.0f, without %.0f process-wide bytes)", where,
                        c.app().unit(), c.assertedScope(), c.with().handlerBytesPerRequest(),
                        c.without().handlerBytesPerRequest(), c.with().bytesPerRequest(),
                        c.without().bytesPerRequest())
                .isLessThanOrEqualTo(Comparison.MAX_ALLOCATION_RATIO);
        soft.assertAll();
    }

    /**
     * How many times the measured load must have acquired a pooled class: one {@code ParseRequest} or
     * {@code WebParseRequest} per parse
     * request, one {@code Batch} per batch, one {@code OrderLine} per CSV line. {@code Totals} is made by its batch's
     * constructor; how the agent re-initialises an owned pooled child is its business, so only its hit ratio and
     * releases are checked.
     */
    private static long expectedAcquisitions(Comparison c, String cls) {
        ModeSummary m = c.with();
        if (cls.endsWith(".ParseRequest") || cls.endsWith(".WebParseRequest") || cls.endsWith(".Batch")) {
            return m.requests();
        }
        if (cls.endsWith(".OrderLine")) {
            return m.runs().stream().mapToLong(r -> r.load().items()).sum();
        }
        return -1;
    }

    private static String summaries(ModeSummary m) {
        StringBuilder sb = new StringBuilder();
        for (Run r : m.runs()) {
            sb.append(r.load().summary()).append("; ");
        }
        return sb.toString();
    }
}
