package dev.shelf.sample.http;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the {@code POST /parse} handler knows about one request: the raw body and what was parsed out of it.
 *
 * <p>This is the class Shelf exists for. Every request needs one, it is short-lived (it dies when the response is
 * written), and it drags a 16 KiB buffer and a list along — exactly the kind of garbage a busy service produces at
 * its request rate. The handler still writes plain {@code new ParseRequest()} and calls
 * {@link dev.shelf.Shelf#release(Object)} when done; with the agent installed that {@code new} hands back a
 * released instance instead of allocating.
 *
 * <p>Note what is <em>not</em> here: no {@code reset()} method, no pool-awareness, no constructor logic besides the
 * field initialisers. The agent derives the re-initialisation from this class's own constructor, so a reused
 * instance starts out exactly like a fresh one: {@code id == -1}, {@code tokens} empty, {@code valid == false}.
 * If it ever did not, the handler's response (which is computed from this object's state only) would be wrong, and
 * the load test in {@code it/} counts such contaminated responses. Keep the class that plain on purpose: it is the
 * demonstration that pooled code needs no discipline beyond {@code release}.
 *
 * <p>{@code body} and {@code tokens} are {@code final}: the constructor always makes them itself and nothing can
 * replace them, so the agent treats them as <em>owned</em> — on reuse it empties and keeps them instead of
 * allocating a new 16 KiB array and a new list, which is where the allocation savings come from. A body too big for
 * {@code body} goes to {@code overflow}, an ordinary field that is simply dropped on release. The other fields are
 * package-private and mutable because the handler fills them in place.
 */
@Pooled
public class ParseRequest {

    /** Initial body buffer size: comfortably above the typical request, so growing it is the exception. */
    static final int INITIAL_BODY_CAPACITY = 16 * 1024;

    /** The request body when it fits, {@code length} bytes of it valid. Owned: reused, never replaced. */
    final byte[] body = new byte[INITIAL_BODY_CAPACITY];

    /** The request body when it does not fit in {@link #body}; {@code null} otherwise. */
    byte[] overflow;

    /** How many bytes of {@link #body} hold the request. */
    int length;

    /** The {@code "tokens"} array, in order. Owned: emptied and kept on reuse, capacity and all. */
    final List<String> tokens = new ArrayList<>(32);

    /** The {@code "id"} field, or {@code -1} while none was seen. */
    long id = -1;

    /** Whether the body had both an {@code "id"} and a {@code "tokens"} field. */
    boolean valid;

    /** Creates an empty request. */
    public ParseRequest() {
    }

    /** @return the array holding the body: {@link #overflow} for oversized bodies, else {@link #body} */
    byte[] bytes() {
        return overflow != null ? overflow : body;
    }
}
