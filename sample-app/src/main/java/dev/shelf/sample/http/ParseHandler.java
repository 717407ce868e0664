package dev.shelf.sample.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.shelf.Shelf;
import dev.shelf.sample.ProcessMetrics;
import dev.shelf.sample.RequestCounters;

import java.io.IOException;

/**
 * {@code POST /parse}: reads a JSON body into a {@link ParseRequest} and answers
 * {@code {"id": <id>, "tokens": <number of tokens>, "digest": <fingerprint of the tokens>, "valid": <bool>}}.
 *
 * <p>This is the allocation site Shelf rewrites. The handler says {@code new ParseRequest()} like any other code and
 * gives the object back with {@link Shelf#release(Object)} in a {@code finally}, on every path including errors, so
 * that the pool stays full under any mix of good and bad requests. Without the agent the release is a no-op and the
 * object is garbage as usual.
 *
 * <p>The response is computed from the request object's own state — {@code req.id}, {@code req.tokens} and the
 * digest of {@code req.tokenText} after parsing — and never from local variables of the parse. That is deliberate:
 * if a reused object came back with leftovers (say, the previous request's tokens), the answer would be visibly
 * wrong and the load test would count it as contaminated. A handler that double-checked by other means would hide the very bug the sample is meant
 * to expose.
 *
 * <p>With {@code --live-set} each parsed request also updates the server's {@link LiveSet} (a session store of that
 * many MiB), before the answer is rendered; the answer never depends on it.
 *
 * <p>Every parse request is counted in {@link RequestCounters} together with what handling it allocated: the
 * worker thread's allocated-bytes counter read on entry to {@link #handle} and again after the exchange is closed
 * ({@link #HANDLER_SCOPE}). That is the allocation this app's code is responsible for, and the figure the
 * with/without-agent comparison asserts on; the process-wide figure also includes the JDK HTTP server's own
 * per-request garbage (request-line and header parsing before the handler runs, connection handling), which no
 * change to the app could remove.
 *
 * <p>Thread-safe: the executor runs many exchanges at once and each gets its own request object.
 */
public final class ParseHandler implements HttpHandler {

    /** What the handler-scope allocation figure covers, as reported in {@code /stats}. */
    public static final String HANDLER_SCOPE = "per POST /parse: bytes allocated by the worker thread inside"
            + " ParseHandler.handle (body read, JSON parse, live-set update if any, response rendering, sending and"
            + " closing the exchange);"
            + " excludes the JDK HTTP server's request-line and header parsing before the handler runs";

    private final RequestParser parser;
    private final JsonFactory json;
    private final RequestCounters counters;
    private final LiveSet liveSet;

    /**
     * Creates the handler, without a live set.
     *
     * @param parser   reads and parses bodies; its Jackson factory also renders error responses
     * @param counters where each handled parse request is counted, with its handler-scope allocation
     */
    public ParseHandler(RequestParser parser, RequestCounters counters) {
        this(parser, counters, LiveSet.NONE);
    }

    /**
     * Creates the handler.
     *
     * @param parser   reads and parses bodies; its Jackson factory also renders error responses
     * @param counters where each handled parse request is counted, with its handler-scope allocation
     * @param liveSet  the session store each parsed request updates ({@link LiveSet#NONE} for none)
     */
    ParseHandler(RequestParser parser, RequestCounters counters, LiveSet liveSet) {
        this.parser = parser;
        this.json = parser.jsonFactory();
        this.counters = counters;
        this.liveSet = liveSet;
    }

    /**
     * How many {@code POST /parse} requests were handled, answered with 200 or 4xx alike; {@code /stats} reports it
     * so that per-request figures can be derived from process-wide counters.
     *
     * @return the number of parse requests handled so far
     */
    public long handled() {
        return counters.requests();
    }

    /**
     * Serves one exchange.
     *
     * @param ex the exchange; always closed on return
     * @throws IOException if the client went away mid-exchange
     */
    @Override
    public void handle(HttpExchange ex) throws IOException {
        long allocatedAtStart = ProcessMetrics.currentThreadAllocatedBytes();
        boolean parseRequest = false;
        try {
            if (!"POST".equals(ex.getRequestMethod())) {
                Responses.methodNotAllowed(ex, json, "POST");
                return;
            }
            parseRequest = true;
            ParseRequest req = new ParseRequest();
            try {
                parser.readBody(ex.getRequestBody(), req);
                parser.parse(req);
                // Before answering, as a service updates its sessions while it handles a request: the update's cost
                // is part of the latency. It only reads req, so it cannot change the answer.
                liveSet.record(req);
                ParseAnswer.render(req);
                Responses.sendJson(ex, 200, req.response, req.responseLength);
            } catch (BadRequestException e) {
                Responses.sendError(ex, json, e.status(), e.getMessage());
            } finally {
                // After the response is sent from req, and on every path: an object that is not released is not
                // lost, merely not reused, but a pool that leaks on errors degrades exactly under bad traffic.
                req.releaseOverflow(); // an oversized body's array is pooled on its own, not owned by req
                Shelf.release(req);
            }
        } finally {
            ex.close();
            if (parseRequest) {
                long allocated = allocatedAtStart < 0 ? -1
                        : ProcessMetrics.currentThreadAllocatedBytes() - allocatedAtStart;
                counters.handled(1, allocated);
            }
        }
    }
}
