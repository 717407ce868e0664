package dev.shelf.corpus;

/** Not pooled; takes pooled objects as constructor arguments. */
public class Holder {
    /** The first held object. */
    public final Object first;
    /** The second held object. */
    public final Object second;

    public Holder(Object first, Object second) {
        this.first = first;
        this.second = second;
    }
}
