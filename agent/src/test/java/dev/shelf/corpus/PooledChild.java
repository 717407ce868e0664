package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Extends a pooled superclass: its re-initialiser calls the superclass's. */
@Pooled
public class PooledChild extends PooledBase {
    final long id;
    int childVersion = 2;
    String note;

    public PooledChild(long id) {
        super("child");
        this.id = id;
        headers.add("id=" + id);
    }
}
