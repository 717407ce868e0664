package dev.shelf.corpus;

/** Not pooled: passed into pooled objects, which must keep the very same reference. */
public class Customer {
    final String name;

    public Customer(String name) {
        this.name = name;
    }
}
