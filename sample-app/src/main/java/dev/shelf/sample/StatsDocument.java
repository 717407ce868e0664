package dev.shelf.sample;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.shelf.Shelf;
import dev.shelf.ShelfStats;

import java.io.IOException;

/**
 * The statistics document both sample apps serve (the HTTP app at {@code GET /stats}, the ingest app for the
 * {@code STATS} command): Shelf's pool counters, what the app handled, and the process's allocation and GC figures.
 *
 * <pre>{@code
 * {"app": "http-parse", "active": true, "acquired": 20000, "reused": 19992, "allocated": 8, "released": 20000,
 *  "dropped": 0, "hitRatio": 0.9996,
 *  "pools": [{"className": "dev.shelf.sample.http.ParseRequest", "capacity": 64, "acquired": 20000, ...}],
 *  "requests": 20000, "items": 20000,
 *  "allocatedBytes": 123456789, "allocatedBytesScope": "all-threads",
 *  "handlerAllocatedBytes": 2345678, "handlerAllocatedBytesScope": "...",
 *  "gcCount": 12, "gcTimeMillis": 34, "collectors": "G1 Young Generation, ...", "cpuTimeNanos": 5678901234,
 *  "jitCompileMillis": 2345,
 *  "javaVersion": "17.0.15", "availableProcessors": 2, "maxHeapBytes": 134217728,
 *  "cgroupMemoryLimitBytes": 268435456, "cgroupMemoryPeakBytes": 201326592}
 * }</pre>
 *
 * <p>The totals at the top are over all pools, for a quick look; {@code pools} has the per-class detail, which is
 * what a test should assert on. Everything is cumulative since start: a client that wants per-request numbers
 * reads the document before and after its load and divides the differences by the {@code requests} difference.
 *
 * <p>Pool counters are per thread and read without synchronisation (see {@link dev.shelf.Shelf#stats()}), so a
 * snapshot taken under traffic is off by a few operations; read it once the load has finished.
 */
public final class StatsDocument {

    private StatsDocument() {
    }

    /**
     * Writes the document with a fresh pool snapshot.
     *
     * <p>The app's counters are read <em>before</em> the pool snapshot is taken. Each app counts a request as its
     * very last step, after releasing its pooled objects, so every request included in {@code requests} has its
     * acquisitions and releases included in the pool counters too: a reader that sees the request count it expects
     * also sees that load's pool activity complete.
     *
     * @param g        where to write
     * @param app      the app's name, e.g. {@code http-parse}
     * @param counters what the app handled so far
     * @throws IOException if the generator fails
     */
    public static void write(JsonGenerator g, String app, RequestCounters counters) throws IOException {
        RequestCounters.Snapshot handled = counters.snapshot();
        write(g, app, Shelf.stats(), handled);
    }

    /**
     * Writes the document from given values (for tests, and for {@link #write(JsonGenerator, String,
     * RequestCounters)}).
     *
     * @param g        where to write
     * @param app      the app's name, e.g. {@code http-parse}
     * @param stats    the pool counters to report
     * @param counters what the app handled, read before {@code stats} was taken
     * @throws IOException if the generator fails
     */
    public static void write(JsonGenerator g, String app, ShelfStats stats, RequestCounters.Snapshot counters)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("app", app);
        g.writeBooleanField("active", stats.active());
        g.writeNumberField("acquired", stats.acquired());
        g.writeNumberField("reused", stats.reused());
        g.writeNumberField("allocated", stats.allocated());
        g.writeNumberField("released", stats.released());
        g.writeNumberField("dropped", stats.dropped());
        g.writeNumberField("hitRatio", stats.hitRatio());
        g.writeArrayFieldStart("pools");
        for (ShelfStats.PoolStats p : stats.pools()) {
            g.writeStartObject();
            g.writeStringField("className", p.className());
            g.writeNumberField("capacity", p.capacity());
            g.writeNumberField("acquired", p.acquired());
            g.writeNumberField("reused", p.reused());
            g.writeNumberField("allocated", p.allocated());
            g.writeNumberField("released", p.released());
            g.writeNumberField("dropped", p.dropped());
            g.writeNumberField("idle", p.idle());
            g.writeNumberField("hitRatio", p.hitRatio());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("requests", counters.requests());
        g.writeNumberField("items", counters.items());
        g.writeNumberField("allocatedBytes", ProcessMetrics.allocatedBytes());
        g.writeStringField("allocatedBytesScope", ProcessMetrics.allocatedBytesScope());
        g.writeNumberField("handlerAllocatedBytes", counters.handlerAllocatedBytes());
        g.writeStringField("handlerAllocatedBytesScope", counters.handlerScope());
        g.writeNumberField("gcCount", ProcessMetrics.gcCount());
        g.writeNumberField("gcTimeMillis", ProcessMetrics.gcTimeMillis());
        g.writeStringField("collectors", ProcessMetrics.collectors());
        g.writeNumberField("cpuTimeNanos", ProcessMetrics.cpuTimeNanos());
        g.writeNumberField("jitCompileMillis", ProcessMetrics.jitCompileMillis());
        g.writeStringField("javaVersion", Runtime.version().toString());
        g.writeNumberField("availableProcessors", Runtime.getRuntime().availableProcessors());
        g.writeNumberField("maxHeapBytes", Runtime.getRuntime().maxMemory());
        g.writeNumberField("cgroupMemoryLimitBytes", ProcessMetrics.cgroupMemoryLimitBytes());
        g.writeNumberField("cgroupMemoryPeakBytes", ProcessMetrics.cgroupMemoryPeakBytes());
        g.writeEndObject();
    }
}
