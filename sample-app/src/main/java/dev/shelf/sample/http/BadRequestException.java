package dev.shelf.sample.http;

/**
 * A request the client got wrong: answered with a 4xx status and {@link #getMessage()} as the explanation.
 *
 * <p>A checked exception so that the handler cannot forget that parsing can fail on client input, and distinct from
 * {@link java.io.IOException} so that a broken connection (nobody to answer) is never mistaken for a bad body
 * (answer 400).
 */
public final class BadRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The HTTP status to answer with. */
    private final int status;

    /**
     * Creates the exception.
     *
     * @param status  the 4xx status to answer with
     * @param message what was wrong, phrased for the client
     */
    public BadRequestException(int status, String message) {
        super(message, null, false, false); // no stack trace: this is control flow on bad input, not a bug
        this.status = status;
    }

    /**
     * The status the handler answers with.
     *
     * @return a 4xx HTTP status
     */
    public int status() {
        return status;
    }
}
