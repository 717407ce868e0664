package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Constructor arguments of every width, stored into final fields, and a reference argument kept as is. */
@Pooled
public class WithArguments {
    final long id;
    final double price;
    final int qty;
    final Object owner;
    String label = "unlabelled";
    long total;

    public WithArguments(long id, double price, int qty, Object owner) {
        this.id = id;
        this.price = price;
        this.qty = qty;
        this.owner = owner;
        this.total = (long) (price * qty);
    }
}
