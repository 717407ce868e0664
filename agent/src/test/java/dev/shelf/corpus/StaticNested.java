package dev.shelf.corpus;

import dev.shelf.Pooled;

/** A static nested pooled class with a private constructor, made by a factory method of its own. */
public class StaticNested {

    /** Pooled, private constructor: only {@link #of(int)} makes it (a site inside the class's nest). */
    @Pooled
    public static class Node {
        int value;
        Node next;

        private Node(int value) {
            this.value = value * 2;
        }

        public static Node of(int value) {
            return new Node(value);
        }
    }
}
