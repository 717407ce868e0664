package dev.shelf.sample.http;

import dev.shelf.Shelf;

/**
 * What the parse protocol reads a body into and renders an answer from: the state of one {@code POST /parse}
 * request. Implemented by the pooled request class of each sample stack ({@link ParseRequest} for the JDK server,
 * {@code dev.shelf.sample.web.WebParseRequest} for the servlet stacks), so that {@link RequestParser} and
 * {@link ParseAnswer} are written once.
 *
 * <p>Every accessor reads or writes the request object's own fields: the answer is computed from them alone, so a
 * reused object that came back with leftovers would answer visibly wrong.
 */
public interface ParseTarget {

    /** @return the owned body buffer, used while the body fits */
    byte[] body();

    /** @return the array holding a body too big for {@link #body()}, or {@code null} */
    byte[] overflow();

    /** @param grown the array that now holds the body */
    void overflow(byte[] grown);

    /**
     * Gives back the pooled overflow array, if the body needed one ({@code new @Pooled byte[n]} in
     * {@link RequestParser#readBody(java.io.InputStream, ParseTarget, int)}). A handler calls this when it has
     * answered, just before it releases the request itself; without the agent it does nothing.
     */
    default void releaseOverflow() {
        byte[] o = overflow();
        if (o != null) {
            Shelf.release(o);
        }
    }

    /** @return how many bytes of the body are valid */
    int length();

    /** @param n how many bytes of the body are valid */
    void length(int n);

    /** @return the array holding the body: {@link #overflow()} when set, else {@link #body()} */
    default byte[] bytes() {
        byte[] o = overflow();
        return o != null ? o : body();
    }

    /** @param id the {@code "id"} field */
    void id(long id);

    /** @return the {@code "id"} field, or -1 while none was seen */
    long id();

    /** @return the tokens so far, each followed by {@link dev.shelf.sample.Digest#SEPARATOR}; appended to */
    StringBuilder tokenText();

    /** Counts one more token, after its text was appended to {@link #tokenText()}. */
    void tokenAdded();

    /** @return how many tokens {@link #tokenText()} holds */
    int tokens();

    /** @param valid whether the body had both an {@code "id"} and a {@code "tokens"} field */
    void valid(boolean valid);

    /** @return whether the body had both fields */
    boolean valid();

    /** @return the buffer the answer is rendered into */
    byte[] response();

    /** @param n how many bytes of {@link #response()} hold the answer */
    void responseLength(int n);
}
