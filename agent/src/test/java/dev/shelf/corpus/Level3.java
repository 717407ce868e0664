package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Bottom of the chain; its objects and Level2's live in separate pools. */
@Pooled
public class Level3 extends Level2 {
    long three = 3;

    public Level3(long three) {
        super("three");
        this.three = three;
    }
}
