package dev.shelf.corpus;

/** Not annotated, and loaded before any site asks to pool it: a {@code new @Pooled} of it must be refused. */
public class LoadedEarly {
    int n = 1;
}
