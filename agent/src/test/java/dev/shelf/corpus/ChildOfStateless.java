package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Pooled although its superclass is not: the superclass holds nothing that would need resetting. */
@Pooled
public class ChildOfStateless extends StatelessBase {
    int value = 4;
    String text;

    public ChildOfStateless(String text) {
        this.text = text;
    }
}
