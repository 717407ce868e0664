package dev.shelf.weavefixture;

import dev.shelf.Pooled;

/** A class whose only use of Shelf is a pooled array site: weaving must make it activate the runtime itself. */
public final class Buffers {
    private Buffers() {
    }

    public static byte[] take(int n) {
        return new @Pooled byte[n];
    }
}
