package dev.shelf.internal.pool;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pooled object for tests: it counts its holders, so a test can prove that no object is ever handed to two holders
 * at once. {@link #take()} on acquire (or allocation), {@link #give()} before release.
 */
final class Item {

    /** Every Item ever made, to compare with the pool's allocation count. */
    static final AtomicInteger CREATED = new AtomicInteger();

    private final AtomicInteger holders = new AtomicInteger();
    final int serial = CREATED.incrementAndGet();

    /** Marks this object held by the caller; fails if someone else holds it. */
    Item take() {
        int h = holders.incrementAndGet();
        if (h != 1) {
            throw new AssertionError("item " + serial + " handed to " + h + " holders at once");
        }
        return this;
    }

    /** Marks this object no longer held, just before it is released. */
    void give() {
        int h = holders.decrementAndGet();
        if (h != 0) {
            throw new AssertionError("item " + serial + " released while " + h + " holders remain");
        }
    }

    /** Acquires from {@code shelf} as generated code does: reuse or allocate. */
    static Item acquire(ClassPool shelf) {
        Object o = shelf.acquire();
        return (o == null ? new Item() : (Item) o).take();
    }

    /** Releases to {@code shelf} as {@code Shelf.release} does, after giving the object up. */
    static void release(ClassPool shelf, Item item) {
        item.give();
        shelf.release(item);
    }
}
