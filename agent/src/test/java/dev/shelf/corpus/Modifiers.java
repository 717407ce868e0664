package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Volatile and transient fields, and an enum-typed field. */
@Pooled
public class Modifiers {
    volatile int hits = 3;
    transient String cache = "warm";
    volatile Object ref;
    Thread.State state = Thread.State.NEW;
    transient long stamp;
}
