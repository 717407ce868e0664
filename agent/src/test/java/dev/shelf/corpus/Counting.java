package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** A constructor with side effects outside the object: they must run once per `new`, pooled or not. */
@Pooled
public class Counting {
    /** How many times a constructor (or its re-initialiser) ran. */
    public static int constructed;
    /** Every object constructed, in order. */
    public static final List<Object> REGISTERED = new ArrayList<>();

    final int serial;

    public Counting() {
        serial = ++constructed;
        REGISTERED.add(this);
    }
}
