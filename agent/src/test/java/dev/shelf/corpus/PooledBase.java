package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** A pooled superclass with state of its own; abstract, so it only gets re-initialisers. */
@Pooled
public abstract class PooledBase {
    final String kind;
    final List<String> headers = new ArrayList<>();
    int baseVersion = 1;
    Object baseUnset;

    protected PooledBase(String kind) {
        this.kind = kind;
        headers.add("kind=" + kind);
    }
}
