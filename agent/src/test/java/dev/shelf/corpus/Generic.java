package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** A generic class: erasure makes it one class and one pool. */
@Pooled
public class Generic<T extends Comparable<T>> {
    final List<T> items = new ArrayList<>();
    T best;

    public Generic(T first) {
        items.add(first);
        best = first;
    }
}
