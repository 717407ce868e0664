package dev.shelf.corpus;

import dev.shelf.Pooled;

/** A pooled class whose constructor takes another pooled object: {@code new Pair(new Primitives())}. */
@Pooled
public class Pair {
    final Object left;
    int weight = 1;

    public Pair(Object left) {
        this.left = left;
    }
}
