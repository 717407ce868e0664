package dev.shelf.sample.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.shelf.Pooled;
import dev.shelf.sample.Digest;
import dev.shelf.sample.http.BadRequestException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One {@code POST /parse} request on a servlet stack: the raw body, what was parsed out of it, and the rendered
 * answer {@code {"id":<id>,"tokens":<n>,"digest":<d>,"valid":<bool>}} — the same protocol as the JDK-server sample
 * ({@link dev.shelf.sample.http.ParseRequest}), so the same load generator checks every answer.
 *
 * <p>The same shape as that class, for the same reasons: a 16 KiB owned body buffer, an owned token builder and an
 * owned response buffer ({@code final}, made by the constructor's field initialisers, so that the agent empties and
 * keeps them on reuse), no {@code reset()}, no pool-awareness. The handler writes plain {@code new WebParseRequest()}
 * and {@link dev.shelf.Shelf#release(Object) releases} it in a {@code finally}. Unlike that class it carries its own
 * read, parse and render steps, so that handlers in other modules and class loaders need only its public methods.
 *
 * <p>Nothing is cleared before use: a reused instance must start out exactly like a fresh one, and if it did not,
 * the answer (computed from this object's state only) would be wrong and the load test would count it as
 * contaminated.
 */
@Pooled
public class WebParseRequest {

    /** The body buffer's length: above the typical request, so that the overflow array is the exception. */
    static final int BODY_CAPACITY = 16 * 1024;

    /** The largest body accepted: 1 MiB. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /** The request body when it fits, {@code length} bytes of it valid. Owned: reused, never replaced. */
    final byte[] body = new byte[BODY_CAPACITY];

    /** The request body when it does not fit in {@link #body}; {@code null} otherwise. */
    byte[] overflow;

    /** How many bytes of the body are valid. */
    int length;

    /** The tokens, each followed by {@link Digest#SEPARATOR}. Owned: emptied on reuse. */
    final StringBuilder tokenText = new StringBuilder(1024);

    /** How many tokens {@link #tokenText} holds. */
    int tokens;

    /** The {@code "id"} field, or {@code -1} while none was seen. */
    long id = -1;

    /** Whether the body had both an {@code "id"} and a {@code "tokens"} field. */
    boolean valid;

    /** The rendered answer, {@code responseLength} bytes of it. Owned: reused, never replaced. */
    final byte[] response = new byte[128];

    /** How many bytes of {@link #response} hold the answer. */
    int responseLength;

    /** Creates an empty request. */
    public WebParseRequest() {
    }

    /**
     * Reads the whole body: into the owned buffer while it fits, else into an overflow array grown by doubling.
     *
     * @param in the body stream; read to its end, not closed
     * @throws BadRequestException with 413 if the body exceeds {@link #MAX_BODY_BYTES}
     * @throws IOException         if reading fails
     */
    public void readBody(InputStream in) throws BadRequestException, IOException {
        byte[] buf = body;
        int n = 0;
        while (true) {
            if (n == buf.length) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                if (buf.length >= MAX_BODY_BYTES) {
                    throw new BadRequestException(413, "request body exceeds " + MAX_BODY_BYTES + " bytes");
                }
                buf = Arrays.copyOf(buf, Math.min(MAX_BODY_BYTES, 2 * buf.length));
                overflow = buf;
                buf[n++] = (byte) b;
                continue;
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        length = n;
    }

    /**
     * Parses the body into the id, the tokens and the validity flag, appending each token's characters straight
     * from the parser's buffer (no {@code String} per token).
     *
     * @param json the shared factory
     * @throws BadRequestException with 400 if the body is not a JSON object of the accepted shape
     */
    public void parse(JsonFactory json) throws BadRequestException {
        try (JsonParser p = json.createParser(overflow != null ? overflow : body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequestException(400, "body must be a JSON object");
            }
            boolean sawId = false;
            boolean sawTokens = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "id" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
                            throw new BadRequestException(400, "\"id\" must be a non-negative integer");
                        }
                        id = p.getLongValue();
                        sawId = true;
                    }
                    case "tokens" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw new BadRequestException(400, "\"tokens\" must be an array");
                        }
                        JsonToken e;
                        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (e != JsonToken.VALUE_STRING) {
                                throw new BadRequestException(400, "\"tokens\" must contain only strings");
                            }
                            tokenText.append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
                                    .append(Digest.SEPARATOR);
                            tokens++;
                        }
                        sawTokens = true;
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new BadRequestException(400, "malformed JSON object");
            }
            valid = sawId && sawTokens;
        } catch (JsonProcessingException e) {
            throw new BadRequestException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // parsing a byte array does no I/O; Jackson only declares it
        }
    }

    /** Renders the answer into {@link #response()} from this object's own state, without making a String. */
    public void render() {
        int n = ascii(0, "{\"id\":");
        n = digits(n, id);
        n = ascii(n, ",\"tokens\":");
        n = digits(n, tokens);
        n = ascii(n, ",\"digest\":");
        n = digits(n, Digest.ofJoined(tokenText));
        responseLength = ascii(n, valid ? ",\"valid\":true}" : ",\"valid\":false}");
    }

    /** @return the buffer holding the rendered answer; {@link #responseLength()} bytes of it are valid */
    public byte[] response() {
        return response;
    }

    /** @return how many bytes of {@link #response()} hold the answer */
    public int responseLength() {
        return responseLength;
    }

    private int ascii(int at, String s) {
        for (int i = 0, len = s.length(); i < len; i++) {
            response[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    private int digits(int at, long v) {
        if (v < 0) { // id -1, or a digest: any long
            response[at++] = '-';
            if (v == Long.MIN_VALUE) {
                return ascii(at, "9223372036854775808");
            }
            v = -v;
        }
        int len = 1;
        for (long x = v; x >= 10; x /= 10) {
            len++;
        }
        for (int i = at + len - 1; i >= at; i--) {
            response[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return at + len;
    }
}
