package dev.shelf.corpus;

/** Not pooled, with state: a pooled subclass of it cannot be fully reset. */
public class PlainParent {
    int parentState = 5;
}
