package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** Overloads that delegate with this(...); only the last one runs the field initialisers. */
@Pooled
public class Delegating {
    final List<String> trail = new ArrayList<>();
    long id;
    double discount;
    String kind;

    public Delegating() {
        this(7L);
        trail.add("()");
    }

    public Delegating(long id) {
        this(id, 0.5);
        trail.add("(J)");
    }

    public Delegating(long id, double discount) {
        this.id = id;
        this.discount = discount;
        this.kind = discount > 0 ? "discounted" : "full";
        trail.add("(JD)");
    }
}
