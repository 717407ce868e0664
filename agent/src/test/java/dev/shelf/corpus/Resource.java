package dev.shelf.corpus;

import dev.shelf.Pooled;

/** A pooled AutoCloseable, allocated in try-with-resources. */
@Pooled
public class Resource implements AutoCloseable {
    boolean closed;
    int uses;

    @Override
    public void close() {
        closed = true;
    }
}
