package dev.shelf;

/**
 * Who releases a pooled object. Set per class with {@link Pooled#scope()}.
 */
public enum Scope {

    /** The application releases with {@link Shelf#release(Object)}; an object never released is ordinary garbage. */
    MANUAL,

    /**
     * The agent releases the object when the method that allocated it exits, normally or by exception. The method
     * may pass the object to other methods while it runs, but must not let it escape: a site whose object is
     * returned, stored in a field, a static or an array, captured by a lambda or passed to a constructor, or that sits
     * in a loop, constructor or static initialiser, is not pooled — it allocates as usual, and the agent says so once
     * per site.
     */
    METHOD
}
