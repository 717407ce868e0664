package dev.shelf.corpus;

/** Not pooled; its constructor allocates pooled objects (a site inside another class's constructor). */
public class Assembler implements Maker {
    /** Made in the constructor. */
    public final Object part;

    public Assembler() {
        this.part = new Primitives();
    }
}
