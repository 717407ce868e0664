package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** The example superclass: pooled, with a constructor argument and state of its own. */
@Pooled
public class Envelope {
    final String kind;
    final List<String> stamps = new ArrayList<>();
    long created = 1;

    public Envelope(String kind) {
        this.kind = kind;
        stamps.add(kind);
    }
}
