package dev.shelf.sample.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.shelf.Shelf;
import dev.shelf.ShelfStats;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * {@code GET /stats}: Shelf's pool counters plus the process's allocation and GC figures, as one JSON object.
 *
 * <pre>{@code
 * {"active": true, "acquired": 20000, "reused": 19992, "allocated": 8, "released": 20000, "dropped": 0,
 *  "hitRatio": 0.9996,
 *  "pools": [{"className": "dev.shelf.sample.http.ParseRequest", "capacity": 64, "acquired": 20000, ...}],
 *  "parseRequests": 20000,
 *  "allocatedBytes": 123456789, "allocatedBytesScope": "all-threads",
 *  "gcCount": 12, "gcTimeMillis": 34}
 * }</pre>
 *
 * <p>The totals at the top are over all pools, for a quick look; {@code pools} has the per-class detail, which is
 * what a test should assert on. The process figures are cumulative since start: a client that wants per-request
 * numbers reads {@code /stats} before and after its load and divides the difference by the {@code parseRequests}
 * difference. Serving them from the server keeps the load generator's own garbage out of the comparison.
 *
 * <p>Pool counters are per-thread and read without synchronisation (see {@link Shelf#stats()}), so a snapshot
 * taken under traffic is off by a few operations; read it once the load has finished.
 */
public final class StatsHandler implements HttpHandler {

    private final JsonFactory json;
    private final LongSupplier parseRequests;

    /**
     * Creates the handler.
     *
     * @param json          renders the response
     * @param parseRequests how many parse requests were handled so far (see {@link ParseHandler#handled()})
     */
    public StatsHandler(JsonFactory json, LongSupplier parseRequests) {
        this.json = json;
        this.parseRequests = parseRequests;
    }

    /**
     * Serves one exchange.
     *
     * @param ex the exchange; always closed on return
     * @throws IOException if the client went away
     */
    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            if (!"GET".equals(ex.getRequestMethod())) {
                Responses.methodNotAllowed(ex, json, "GET");
                return;
            }
            ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            ShelfStats stats = Shelf.stats();
            long requests = parseRequests.getAsLong();
            Responses.sendJson(ex, json, 200, g -> write(g, stats, requests));
        } finally {
            ex.close();
        }
    }

    /**
     * Writes the {@code /stats} document. Public and static so that it can be tested, and reused, without a server.
     *
     * @param g             where to write
     * @param stats         the pool counters to report
     * @param parseRequests the parse requests handled so far
     * @throws IOException if the generator fails
     */
    public static void write(JsonGenerator g, ShelfStats stats, long parseRequests) throws IOException {
        g.writeStartObject();
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
        g.writeNumberField("parseRequests", parseRequests);
        g.writeNumberField("allocatedBytes", ProcessMetrics.allocatedBytes());
        g.writeStringField("allocatedBytesScope", ProcessMetrics.allocatedBytesScope());
        g.writeNumberField("gcCount", ProcessMetrics.gcCount());
        g.writeNumberField("gcTimeMillis", ProcessMetrics.gcTimeMillis());
        g.writeEndObject();
    }
}
