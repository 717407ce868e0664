package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** The example: final fields, owned containers, a passed-in reference, this(...) and super(...). */
@Pooled
public class Order extends Envelope {
    final long id;
    final List<String> lines = new ArrayList<>(32);
    final byte[] scratch = new byte[16 * 1024];
    Customer customer;
    double discount;

    public Order(long id, Customer c) {
        this(id, c, 0.0);
    }

    public Order(long id, Customer c, double discount) {
        super("order");
        this.id = id;
        this.customer = c;
        this.discount = discount;
        lines.add("line-of-" + id);
    }
}
