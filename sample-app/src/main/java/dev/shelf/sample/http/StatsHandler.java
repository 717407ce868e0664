package dev.shelf.sample.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.shelf.Shelf;
import dev.shelf.sample.RequestCounters;
import dev.shelf.sample.StatsDocument;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /stats}: Shelf's pool counters, the parse requests handled and what handling them allocated, and the
 * process's allocation and GC figures, as one JSON object ({@link StatsDocument}, app name {@value #APP}).
 *
 * <p>Serving them from the server keeps the load generator's own garbage out of the comparison. Pool counters are
 * per thread and read without synchronisation (see {@link Shelf#stats()}), so read it once the load has finished.
 */
public final class StatsHandler implements HttpHandler {

    /** The app name in the stats document. */
    public static final String APP = "http-parse";

    private final JsonFactory json;
    private final RequestCounters counters;

    /**
     * Creates the handler.
     *
     * @param json     renders the response
     * @param counters the parse requests handled so far (see {@link ParseHandler})
     */
    public StatsHandler(JsonFactory json, RequestCounters counters) {
        this.json = json;
        this.counters = counters;
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
            Responses.sendJson(ex, json, 200, g -> StatsDocument.write(g, APP, counters));
        } finally {
            ex.close();
        }
    }
}
