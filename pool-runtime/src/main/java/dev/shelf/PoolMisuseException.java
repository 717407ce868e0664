package dev.shelf;

import org.jspecify.annotations.Nullable;

/**
 * Thrown in strict mode ({@code shelf.mode=strict}) when a pooled object is misused: released twice, used after
 * it was released, or something that was never pooled is released.
 *
 * <p>In normal mode these mistakes are contained rather than reported — a second release is ignored and counted, a
 * foreign release does nothing — because a production service should not fail on them. Strict mode is for tests and
 * staging: it makes every one of them fail fast, at the line that made it, with the stack of the release that came
 * before attached as the cause where there is one.
 */
public class PoolMisuseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message  what was misused and how
     * @param released where the object was released before, or {@code null} if unknown
     */
    public PoolMisuseException(String message, @Nullable Throwable released) {
        super(message, released);
    }
}
