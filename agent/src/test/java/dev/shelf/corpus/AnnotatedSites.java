package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Site-level pooling: {@code new @Pooled T()} of classes that are not annotated. */
public final class AnnotatedSites {

    private AnnotatedSites() {
    }

    /** @return from the pool */
    public static PlainBuffer pooled() {
        return new @Pooled PlainBuffer();
    }

    /** @return always a new object: this site is not annotated */
    public static PlainBuffer plain() {
        return new PlainBuffer();
    }

    /** @return always a new object: LoadedEarly was loaded before this class */
    public static LoadedEarly tooLate() {
        return new @Pooled LoadedEarly();
    }
}
