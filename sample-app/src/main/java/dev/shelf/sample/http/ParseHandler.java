package dev.shelf.sample.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.shelf.Shelf;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code POST /parse}: reads a JSON body into a {@link ParseRequest} and answers
 * {@code {"id": <id>, "tokens": <number of tokens>, "valid": <bool>}}.
 *
 * <p>This is the allocation site Shelf rewrites. The handler says {@code new ParseRequest()} like any other code and
 * gives the object back with {@link Shelf#release(Object)} in a {@code finally}, on every path including errors, so
 * that the pool stays full under any mix of good and bad requests. Without the agent the release is a no-op and the
 * object is garbage as usual.
 *
 * <p>The response is computed from the request object's own state — {@code req.id} and {@code req.tokens.size()}
 * after parsing — and never from local variables of the parse. That is deliberate: if a reused object came back
 * with leftovers (say, the previous request's tokens), the answer would be visibly wrong and the load test would
 * count it as contaminated. A handler that double-checked by other means would hide the very bug the sample is meant
 * to expose.
 *
 * <p>Thread-safe: the executor runs many exchanges at once and each gets its own request object.
 */
public final class ParseHandler implements HttpHandler {

    private final RequestParser parser;
    private final JsonFactory json;
    private final LongAdder handled = new LongAdder();

    /**
     * Creates the handler.
     *
     * @param parser reads and parses bodies; its Jackson factory also renders responses
     */
    public ParseHandler(RequestParser parser) {
        this.parser = parser;
        this.json = parser.jsonFactory();
    }

    /**
     * How many {@code POST /parse} requests reached the parser, answered with 200 or 4xx alike; {@code /stats}
     * reports it so that per-request figures can be derived from process-wide counters.
     *
     * @return the number of parse requests handled so far
     */
    public long handled() {
        return handled.sum();
    }

    /**
     * Serves one exchange.
     *
     * @param ex the exchange; always closed on return
     * @throws IOException if the client went away mid-exchange
     */
    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            if (!"POST".equals(ex.getRequestMethod())) {
                Responses.methodNotAllowed(ex, json, "POST");
                return;
            }
            handled.increment();
            ParseRequest req = new ParseRequest();
            try {
                parser.readBody(ex.getRequestBody(), req);
                parser.parse(req);
                Responses.sendJson(ex, json, 200, g -> {
                    g.writeStartObject();
                    g.writeNumberField("id", req.id);
                    g.writeNumberField("tokens", req.tokens.size());
                    g.writeBooleanField("valid", req.valid);
                    g.writeEndObject();
                });
            } catch (BadRequestException e) {
                Responses.sendError(ex, json, e.status(), e.getMessage());
            } finally {
                // After the response is rendered from req, and on every path: an object that is not released is
                // not lost, merely not reused, but a pool that leaks on errors degrades exactly under bad traffic.
                Shelf.release(req);
            }
        } finally {
            ex.close();
        }
    }
}
