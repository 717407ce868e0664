package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.concurrent.atomic.AtomicLong;

/** A class with its own static initialiser, which makes an instance of itself: registration must come first. */
@Pooled
public class WithStaticState {
    static final AtomicLong SEQ = new AtomicLong(5);
    static final WithStaticState PROTOTYPE;

    static {
        PROTOTYPE = new WithStaticState();
    }

    final long seq = SEQ.get() + 100;
    String mark = "m";
}
