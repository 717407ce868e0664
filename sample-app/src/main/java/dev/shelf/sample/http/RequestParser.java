package dev.shelf.sample.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.shelf.Pooled;
import dev.shelf.Shelf;
import dev.shelf.sample.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Fills a {@link ParseRequest} from an HTTP request body: first the raw bytes, then the parsed fields.
 *
 * <p>Kept apart from the HTTP plumbing so that it can be tested on its own, and so that the one thing this sample is
 * about is easy to see: both steps write only into the (possibly reused) request object, never into fresh
 * per-request buffers. The body goes into {@code req.body} and is parsed straight from that array, so with the agent
 * the body buffer is recycled along with the object.
 *
 * <p>The accepted shape is {@code {"id": <non-negative integer>, "tokens": [<string>, ...]}}; other fields are
 * skipped. A body that is not well-formed JSON, or has those two fields with the wrong types, is a
 * {@link BadRequestException}; a well-formed object that lacks one of them parses with {@code valid == false}.
 * That split lets clients tell "you sent garbage" (400) from "you sent an incomplete record" (200, invalid).
 *
 * <p>Instances are immutable and thread-safe: the Jackson factory is, and there is no other state.
 */
public final class RequestParser {

    /** Bodies larger than this are refused: a sample service still should not buffer unbounded input. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    private final JsonFactory json;
    private final int maxBodyBytes;

    /**
     * Creates a parser with the default body limit ({@value #DEFAULT_MAX_BODY_BYTES} bytes).
     */
    public RequestParser() {
        this(DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * Creates a parser.
     *
     * @param maxBodyBytes the largest body accepted; larger ones are answered with 413
     */
    public RequestParser(int maxBodyBytes) {
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
        // Duplicate keys would make "tokens" ambiguous (append? replace?); refusing them keeps the count exact.
        this.json = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    /**
     * The shared Jackson factory, for writing responses with the same configuration.
     *
     * @return the factory; thread-safe
     */
    public JsonFactory jsonFactory() {
        return json;
    }

    /**
     * Reads the whole body into {@code req.body}, setting {@code req.length}.
     *
     * <p>The request's own body array is used as long as the body fits; a bigger body is copied into
     * {@code req.overflow}, grown by doubling up to the limit. The owned array is never replaced, so Shelf can keep
     * it across reuses. Each overflow array is a pooled array ({@code new @Pooled byte[n]}): the lengths are the body
     * buffer's length times a power of two, so a few pools serve every body size; a smaller one is released as soon
     * as it is outgrown, and the caller releases the last one ({@code Shelf.release(req.overflow)}) when it has
     * answered. Without the agent they are ordinary garbage, as before.
     *
     * @param in  the request body stream; read to its end but not closed
     * @param req the request to fill; its {@code overflow} may be set
     * @throws BadRequestException with 413 if the body exceeds the limit
     * @throws IOException         if reading fails (the client went away)
     */
    public void readBody(InputStream in, ParseTarget req) throws BadRequestException, IOException {
        readBody(in, req, maxBodyBytes);
    }

    /**
     * {@link #readBody(InputStream, ParseTarget)} with a given limit, for callers without a parser instance.
     *
     * @param in           the request body stream; read to its end but not closed
     * @param req          the request to fill; its overflow may be set
     * @param maxBodyBytes the largest body accepted
     * @throws BadRequestException with 413 if the body exceeds the limit
     * @throws IOException         if reading fails (the client went away)
     */
    public static void readBody(InputStream in, ParseTarget req, int maxBodyBytes)
            throws BadRequestException, IOException {
        byte[] buf = req.body();
        int n = 0;
        while (true) {
            if (n == buf.length) {
                // Full: probe for one more byte before growing, so a body that fits exactly costs no copy.
                int b = in.read();
                if (b < 0) {
                    break;
                }
                if (buf.length >= maxBodyBytes) {
                    throw new BadRequestException(413, "request body exceeds " + maxBodyBytes + " bytes");
                }
                byte[] grown = new @Pooled byte[(int) Math.min(maxBodyBytes, Math.max(16, 2L * buf.length))];
                System.arraycopy(buf, 0, grown, 0, n);
                byte[] outgrown = req.overflow();
                if (outgrown != null) {
                    Shelf.release(outgrown); // the smaller overflow array is done with: back to its pool
                }
                req.overflow(grown);
                buf = grown;
                buf[n++] = (byte) b;
                continue;
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        req.length(n);
    }

    /**
     * Parses {@code req.bytes()[0, req.length)} into {@code req.id}, {@code req.tokens}, {@code req.tokenText} and
     * {@code req.valid}.
     *
     * <p>Each token's characters are appended to {@code req.tokenText}, followed by
     * {@link Digest#SEPARATOR}, straight from the JSON parser's buffer: the service only counts and fingerprints
     * tokens, so it never makes a {@code String} of one. Nothing is cleared first. A fresh request's text is empty,
     * and so must a reused one's be: clearing here would hide exactly the contamination the load test is there to
     * catch.
     *
     * @param req a request whose body has been read
     * @throws BadRequestException with 400 if the body is not a JSON object of the accepted shape
     */
    public void parse(ParseTarget req) throws BadRequestException {
        parse(json, req);
    }

    /**
     * {@link #parse(ParseTarget)} with a given Jackson factory, for callers without a parser instance.
     *
     * @param json the factory that makes the parser
     * @param req  a request whose body has been read
     * @throws BadRequestException with 400 if the body is not a JSON object of the accepted shape
     */
    public static void parse(JsonFactory json, ParseTarget req) throws BadRequestException {
        try (JsonParser p = json.createParser(req.bytes(), 0, req.length())) {
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
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw new BadRequestException(400, "\"id\" must be an integer");
                        }
                        long id = p.getLongValue();
                        if (id < 0) {
                            throw new BadRequestException(400, "\"id\" must not be negative");
                        }
                        req.id(id);
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
                            // The parser's own character buffer, not getText(): no String per token.
                            req.tokenText().append(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())
                                    .append(Digest.SEPARATOR);
                            req.tokenAdded();
                        }
                        sawTokens = true;
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new BadRequestException(400, "malformed JSON object");
            }
            if (p.nextToken() != null) {
                throw new BadRequestException(400, "trailing content after the JSON object");
            }
            req.valid(sawId && sawTokens);
        } catch (JsonProcessingException e) {
            throw new BadRequestException(400, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            // Parsing a byte array does no I/O; Jackson only declares it.
            throw new UncheckedIOException(e);
        }
    }
}
