package dev.shelf.sample.http;

import dev.shelf.Pooled;

/**
 * Everything the {@code POST /parse} handler knows about one request: the raw body, what was parsed out of it, and
 * the rendered answer.
 *
 * <p>This is the class Shelf exists for. Every request needs one, it is short-lived (it dies when the response is
 * written), and it drags a body buffer along (16 KiB unless the server is started with {@code --body-buffer}) —
 * exactly the kind of garbage a busy service produces at its request rate. The handler still writes plain {@code new ParseRequest()} and calls {@link dev.shelf.Shelf#release(Object)}
 * when done; with the agent installed that {@code new} hands back a released instance instead of allocating.
 *
 * <p>Note what is <em>not</em> here: no {@code reset()} method, no pool-awareness, no constructor logic besides the
 * field initialisers. The agent derives the re-initialisation from this class's own constructor, so a reused
 * instance starts out exactly like a fresh one: {@code id == -1}, no tokens, empty token text, {@code valid ==
 * false}. If it ever did not, the handler's response (which is computed from this object's state only) would be
 * wrong, and the load test in {@code it/} counts such contaminated responses. Keep the class that plain on purpose:
 * it is the demonstration that pooled code needs no discipline beyond {@code release}.
 *
 * <p>{@code body}, {@code tokenText} and {@code response} are {@code final}: the constructor always makes them
 * itself and nothing can replace them, so the agent treats them as <em>owned</em> — on reuse it empties and keeps
 * them instead of allocating a new body array, a new builder and a new response buffer, which is where the
 * allocation savings come from. A builder that grew for a big request keeps its capacity. A body too big for
 * {@code body} goes to {@code overflow}, an ordinary field that is simply dropped on release. The other fields are
 * package-private and mutable because the parser fills them in place.
 *
 * <p>Tokens are kept as text in {@code tokenText} (each followed by {@link dev.shelf.sample.Digest#SEPARATOR})
 * rather than as one {@code String} each: the service only counts and fingerprints them, and materialising a
 * {@code String} per token would be garbage nobody needs.
 */
@Pooled
public class ParseRequest implements ParseTarget {

    /**
     * The body buffer's length unless the server is told otherwise ({@code --body-buffer}): comfortably above the
     * typical request, so that the overflow array is the exception.
     */
    static final int DEFAULT_BODY_CAPACITY = 16 * 1024;

    /**
     * The length of {@link #body} in requests made from now on. {@link ParseServer#start(ParseServerOptions)} sets
     * it once, from {@code --body-buffer}, before the server accepts its first request (so the worker threads, which
     * start after it, see the value without any further synchronisation); nothing else writes it.
     *
     * <p>A static field rather than a constant so that one build serves 16 KiB, 256 KiB and 2 MiB bodies from the
     * owned buffer — the workloads where a body is garbage the collector must deal with, up to G1's humongous
     * objects. {@code new byte[bodyCapacity]} is still the plain field initialiser a user would write: an owned
     * array whose length is computed rather than constant, which the agent is to keep and reuse like a constant-length
     * one.
     */
    static int bodyCapacity = DEFAULT_BODY_CAPACITY;

    /** Room for the longest answer: {@code {"id":<20 digits>,"tokens":<10>,"digest":<20>,"valid":false}}. */
    static final int RESPONSE_CAPACITY = 128;

    /** The request body when it fits, {@code length} bytes of it valid. Owned: reused, never replaced. */
    final byte[] body = new byte[bodyCapacity];

    /** The request body when it does not fit in {@link #body}; {@code null} otherwise. */
    byte[] overflow;

    /** How many bytes of {@link #body} hold the request. */
    int length;

    /** The {@code "tokens"} array's strings, in order, each followed by a separator. Owned: emptied on reuse. */
    final StringBuilder tokenText = new StringBuilder(1024);

    /** How many tokens {@link #tokenText} holds. */
    int tokens;

    /** The {@code "id"} field, or {@code -1} while none was seen. */
    long id = -1;

    /** Whether the body had both an {@code "id"} and a {@code "tokens"} field. */
    boolean valid;

    /** The rendered answer, {@code responseLength} bytes of it. Owned: reused, never replaced. */
    final byte[] response = new byte[RESPONSE_CAPACITY];

    /** How many bytes of {@link #response} hold the answer. */
    int responseLength;

    /** Creates an empty request. */
    public ParseRequest() {
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

    @Override
    public byte[] response() {
        return response;
    }

    @Override
    public void responseLength(int n) {
        responseLength = n;
    }
}
