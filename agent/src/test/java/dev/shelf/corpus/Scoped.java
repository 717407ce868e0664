package dev.shelf.corpus;

import dev.shelf.Pooled;
import dev.shelf.Scope;

import java.util.ArrayList;
import java.util.List;

/** Released by the agent when the allocating method exits. */
@Pooled(scope = Scope.METHOD)
public class Scoped {
    private final List<String> notes = new ArrayList<>();
    int n;

    public void note(String s) {
        notes.add(s);
        n++;
    }

    public int notes() {
        return notes.size();
    }
}
