package dev.shelf.corpus;

/** An interface whose default method allocates a pooled object. */
public interface Maker {
    /** @return a pooled object made in a default method */
    default Primitives make() {
        return new Primitives();
    }
}
