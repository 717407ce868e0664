package dev.shelf.sample.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import dev.shelf.sample.Digest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writing JSON responses with a known length.
 *
 * <p>Every response is rendered into a byte array first and sent with an exact {@code Content-Length}; the parse
 * result is rendered into the pooled request's own buffer, errors with Jackson. That costs a
 * small copy but keeps the connection reusable without chunked encoding, which matters for the load generator: it
 * keeps one keep-alive connection per client, and simple framing makes it cheap and easy to verify.
 */
final class Responses {

    private Responses() {
    }

    /** Writes one JSON document into a generator. */
    @FunctionalInterface
    interface JsonBody {
        /**
         * Writes the whole document.
         *
         * @param g the generator to write to
         * @throws IOException if the generator fails
         */
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * Renders {@code body} and sends it with {@code status}.
     *
     * @param ex     the exchange to answer; not closed here
     * @param json   the factory to render with
     * @param status the HTTP status
     * @param body   writes the document
     * @throws IOException if the client went away
     */
    static void sendJson(HttpExchange ex, JsonFactory json, int status, JsonBody body) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(128);
        try (JsonGenerator g = json.createGenerator(buf)) {
            body.write(g);
        }
        byte[] bytes = buf.toByteArray();
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * Sends {@code length} bytes of {@code bytes} as a JSON response.
     *
     * @param ex     the exchange to answer; not closed here
     * @param status the HTTP status
     * @param bytes  the rendered document
     * @param length how many bytes of it to send
     * @throws IOException if the client went away
     */
    static void sendJson(HttpExchange ex, int status, byte[] bytes, int length) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes, 0, length);
        }
    }

    /**
     * Renders {@code {"id":<id>,"tokens":<n>,"digest":<d>,"valid":<bool>}} into {@code req.response}, from the
     * request's own state only, and sets {@code req.responseLength}. {@code digest} is
     * {@link Digest#ofJoined(CharSequence)} of {@code req.tokenText}: the load generator computes the same value
     * from the tokens it sent, so a token left over from an earlier request, or one missing, changes the answer.
     *
     * <p>Written byte by byte into the request's own buffer: a fixed, tiny, ASCII document needs neither a JSON
     * generator nor a fresh array per request.
     *
     * @param req a parsed request
     */
    static void renderParseResult(ParseRequest req) {
        byte[] out = req.response;
        int n = 0;
        n = ascii(out, n, "{\"id\":");
        n = digits(out, n, req.id);
        n = ascii(out, n, ",\"tokens\":");
        n = digits(out, n, req.tokens);
        n = ascii(out, n, ",\"digest\":");
        n = digits(out, n, Digest.ofJoined(req.tokenText));
        n = ascii(out, n, req.valid ? ",\"valid\":true}" : ",\"valid\":false}");
        req.responseLength = n;
    }

    private static int ascii(byte[] out, int at, String s) {
        for (int i = 0, len = s.length(); i < len; i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    /** Writes {@code v} in decimal, as {@link Long#toString(long)} would, without making a String. */
    static int digits(byte[] out, int at, long v) {
        if (v == Long.MIN_VALUE) {
            return ascii(out, at, "-9223372036854775808");
        }
        if (v < 0) {
            out[at++] = '-';
            v = -v;
        }
        int len = 1;
        for (long x = v; x >= 10; x /= 10) {
            len++;
        }
        for (int i = at + len - 1; i >= at; i--) {
            out[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return at + len;
    }

    /**
     * Sends {@code {"error": message}} with {@code status}.
     *
     * @param ex      the exchange to answer; not closed here
     * @param json    the factory to render with
     * @param status  a 4xx or 5xx status
     * @param message what went wrong, for the client
     * @throws IOException if the client went away
     */
    static void sendError(HttpExchange ex, JsonFactory json, int status, String message) throws IOException {
        sendJson(ex, json, status, g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    /**
     * Answers 405 for a method the endpoint does not serve, naming the one it does.
     *
     * @param ex      the exchange to answer; not closed here
     * @param json    the factory to render with
     * @param allowed the method the endpoint accepts
     * @throws IOException if the client went away
     */
    static void methodNotAllowed(HttpExchange ex, JsonFactory json, String allowed) throws IOException {
        ex.getRequestBody().transferTo(OutputStream.nullOutputStream()); // keep the connection usable
        ex.getResponseHeaders().set("Allow", allowed);
        sendError(ex, json, 405, "use " + allowed);
    }
}
