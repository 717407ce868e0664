package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Top of a three-level pooled chain. */
@Pooled
public abstract class Level1 {
    int one = 1;
    String tag;

    protected Level1(String tag) {
        this.tag = tag;
    }
}
