package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The single-thread behaviour of one pool: LIFO reuse, bounds, counters. */
class ClassPoolTest {

    /** The invariant every snapshot of a quiet pool must satisfy. */
    static void assertBalanced(ShelfStats.PoolStats p) {
        assertThat(p.acquired()).as("acquired = reused + allocated").isEqualTo(p.reused() + p.allocated());
        assertThat(p.released()).as("released = reused + dropped + evicted + idle")
                .isEqualTo(p.reused() + p.dropped() + p.evicted() + p.idle());
    }

    @Test
    void sameThreadReuseIsLifo() {
        ClassPool shelf = new ClassPool(Item.class, 8, 0);
        assertThat(shelf.acquire()).isNull();
        Item a = new Item();
        Item b = new Item();
        shelf.release(a);
        shelf.release(b);
        assertThat(shelf.acquire()).isSameAs(b);
        assertThat(shelf.acquire()).isSameAs(a);
        assertThat(shelf.acquire()).isNull();

        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.acquired()).isEqualTo(4);
        assertThat(p.reused()).isEqualTo(2);
        assertThat(p.allocated()).isEqualTo(2);
        assertThat(p.released()).isEqualTo(2);
        assertThat(p.idle()).isZero();
        assertBalanced(p);
    }

    @Test
    void aFullThreadShelfWithoutDepotDropsAndCounts() {
        ClassPool shelf = new ClassPool(Item.class, 4, 0);
        for (int i = 0; i < 6; i++) {
            shelf.release(new Item());
        }
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.idle()).isEqualTo(4);
        assertThat(p.dropped()).isEqualTo(2);
        assertThat(p.sharedCapacity()).isZero();
        assertBalanced(p);
    }

    @Test
    void aFullThreadShelfSpillsItsOldestHalfIntoTheDepot() {
        ClassPool shelf = new ClassPool(Item.class, 4, 8);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Item item = new Item();
            items.add(item);
            shelf.release(item);
        }
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.idle()).as("4 on the stack would overflow: 2 went to the depot").isEqualTo(5);
        assertThat(p.dropped()).isZero();
        // The stack keeps the newest: 2, 3, 4 (LIFO); then it refills from the depot: 0 and 1.
        assertThat(shelf.acquire()).isSameAs(items.get(4));
        assertThat(shelf.acquire()).isSameAs(items.get(3));
        assertThat(shelf.acquire()).isSameAs(items.get(2));
        Set<Object> rest = new HashSet<>();
        rest.add(shelf.acquire());
        rest.add(shelf.acquire());
        assertThat(rest).containsExactlyInAnyOrder(items.get(0), items.get(1));
        assertThat(shelf.acquire()).isNull();
        assertBalanced(shelf.snapshot());
    }

    @Test
    void aFullDepotMakesReleasesDrop() {
        ClassPool shelf = new ClassPool(Item.class, 2, 1);
        for (int i = 0; i < 10; i++) {
            shelf.release(new Item());
        }
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.sharedCapacity()).isEqualTo(1);
        assertThat(p.idle()).as("2 on the stack, 1 in the depot").isEqualTo(3);
        assertThat(p.dropped()).isEqualTo(7);
        assertBalanced(p);
    }

    @Test
    void eachThreadHasItsOwnStack() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 8, 0);
        Item mine = new Item();
        shelf.release(mine);
        Threads.runOn(i -> assertThat(shelf.acquire()).as("another thread's stack is not shared").isNull());
        assertThat(shelf.acquire()).isSameAs(mine);
        shelf.snapshot();
        assertThat(shelf.threadShelves()).as("the ended thread's shelf is folded away").isEqualTo(1);
    }

    @Test
    void countersOfEndedThreadsAreKept() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 8, 0);
        Threads.runAll(3, i -> {
            for (int n = 0; n < 100; n++) {
                Item.release(shelf, Item.acquire(shelf));
            }
        });
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(shelf.threadShelves()).isZero();
        assertThat(p.acquired()).isEqualTo(300);
        assertThat(p.released()).isEqualTo(300);
        assertThat(p.allocated()).isEqualTo(3);
        assertThat(p.reused()).isEqualTo(297);
        assertThat(p.idle()).as("an ended thread's objects are let go").isZero();
        assertThat(p.evicted()).isEqualTo(3);
        assertBalanced(p);
    }

    @Test
    void poolsOfDifferentClassesAreSeparate() {
        ClassPool items = new ClassPool(Item.class, 4, 0);
        ClassPool strings = new ClassPool(String.class, 4, 0);
        Item item = new Item();
        items.release(item);
        assertThat(strings.acquire()).isNull();
        assertThat(items.acquire()).isSameAs(item);
    }
}
