package dev.shelf.sample.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;

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
