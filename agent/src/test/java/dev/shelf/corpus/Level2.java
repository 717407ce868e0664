package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** Middle of the chain; instantiable itself. */
@Pooled
public class Level2 extends Level1 {
    final List<Integer> two = new ArrayList<>();

    public Level2() {
        this("two");
    }

    protected Level2(String tag) {
        super(tag + "/2");
        two.add(2);
    }
}
