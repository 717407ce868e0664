package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** A container made only on one path: not owned, so re-initialisation must not keep it on the other path. */
@Pooled
public class ConditionalInit {
    private List<String> maybe;
    private final int n;

    public ConditionalInit(int n) {
        this.n = n;
        if (n > 0) {
            maybe = new ArrayList<>();
            maybe.add("n=" + n);
        }
    }
}
