package dev.shelf.corpus;

import dev.shelf.Pooled;

/** A constructor that rejects its argument after assigning some fields. */
@Pooled
public class Throwing {
    int value = 1;
    String state = "building";

    public Throwing(int value) {
        this.value = value;
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        state = "built";
    }
}
