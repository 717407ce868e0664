package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** Instance initialiser blocks interleaved with field initialisers, in source order. */
@Pooled
public class InitBlocks {
    List<String> log = new ArrayList<>();

    {
        log.add("block-1");
    }

    int n = log.size();

    {
        log.add("block-2:" + n);
        n += 10;
    }

    public InitBlocks() {
        log.add("ctor");
    }
}
