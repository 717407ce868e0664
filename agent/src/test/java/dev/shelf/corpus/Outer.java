package dev.shelf.corpus;

import dev.shelf.Pooled;

/** A non-static inner class: its constructor stores the outer instance before super(). */
public class Outer {
    final String name;

    public Outer(String name) {
        this.name = name;
    }

    /** Pooled inner class. */
    @Pooled
    public class Inner {
        int value = name.length();
        String seen = "inner of " + name;
    }
}
