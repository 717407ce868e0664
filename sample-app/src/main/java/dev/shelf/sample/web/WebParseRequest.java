package dev.shelf.sample.web;

import com.fasterxml.jackson.core.JsonFactory;
import dev.shelf.Pooled;
import dev.shelf.sample.Digest;
import dev.shelf.sample.http.BadRequestException;
import dev.shelf.sample.http.ParseAnswer;
import dev.shelf.sample.http.ParseTarget;
import dev.shelf.sample.http.RequestParser;

import java.io.IOException;
import java.io.InputStream;

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
public class WebParseRequest implements ParseTarget {

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
     * Reads the whole body: into the owned buffer while it fits, else into a pooled overflow array grown by
     * doubling ({@link RequestParser#readBody(InputStream, ParseTarget, int)}). The caller releases
     * {@link #overflow} when it has answered.
     *
     * @param in the body stream; read to its end, not closed
     * @throws BadRequestException with 413 if the body exceeds {@link #MAX_BODY_BYTES}
     * @throws IOException         if reading fails
     */
    public void readBody(InputStream in) throws BadRequestException, IOException {
        RequestParser.readBody(in, this, MAX_BODY_BYTES);
    }

    /**
     * Parses the body into the id, the tokens and the validity flag ({@link RequestParser#parse(JsonFactory,
     * ParseTarget)}).
     *
     * @param json the shared factory
     * @throws BadRequestException with 400 if the body is not a JSON object of the accepted shape
     */
    public void parse(JsonFactory json) throws BadRequestException {
        RequestParser.parse(json, this);
    }

    /** Renders the answer into {@link #response()} from this object's own state ({@link ParseAnswer}). */
    public void render() {
        ParseAnswer.render(this);
    }

    /** @return how many bytes of {@link #response()} hold the answer */
    public int responseLength() {
        return responseLength;
    }

    // ParseTarget: the protocol's view of these fields.

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public byte[] overflow() {
        return overflow;
    }

    @Override
    public void overflow(byte[] grown) {
        overflow = grown;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void length(int n) {
        length = n;
    }

    @Override
    public void id(long id) {
        this.id = id;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public StringBuilder tokenText() {
        return tokenText;
    }

    @Override
    public void tokenAdded() {
        tokens++;
    }

    @Override
    public int tokens() {
        return tokens;
    }

    @Override
    public void valid(boolean valid) {
        this.valid = valid;
    }

    @Override
    public boolean valid() {
        return valid;
    }

    /** @return the buffer holding the rendered answer; {@link #responseLength()} bytes of it are valid */
    @Override
    public byte[] response() {
        return response;
    }

    @Override
    public void responseLength(int n) {
        responseLength = n;
    }
}
