package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Refused: its superclass is not pooled and has fields. */
@Pooled
public class ChildOfPlain extends PlainParent {
    int own = 1;
}
