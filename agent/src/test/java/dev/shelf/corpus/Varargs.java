package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.Arrays;
import java.util.List;

/** A varargs constructor and a field computed from it. */
@Pooled
public class Varargs {
    final List<String> parts;
    final int count;

    public Varargs(String... parts) {
        this.parts = Arrays.asList(parts);
        this.count = parts.length;
    }
}
