package dev.shelf.internal;

import dev.shelf.Shelf;

/**
 * Releases the agent's generated code performs on the user's behalf.
 *
 * <p>Called by generated code: names and descriptors are a contract listed in the agent's {@code RuntimeAbi}.
 */
public final class Release {

    private Release() {
    }

    /**
     * Releases {@code o} unless it is {@code null}: a METHOD-scoped site that did not run before its method exited,
     * or an owned child field that is already empty. Unlike a user's {@code Shelf.release(null)}, which strict mode
     * reports, these nulls are expected.
     *
     * @param o the object, or {@code null}
     */
    public static void ifPresent(Object o) {
        if (o != null) {
            Shelf.release(o);
        }
    }
}
