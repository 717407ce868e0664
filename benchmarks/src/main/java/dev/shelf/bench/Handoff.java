package dev.shelf.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer ring: how the cross-thread benchmarks pass objects from the thread that
 * acquires to the thread that releases. Deliberately plain and identical for every contender, so that the difference
 * between contenders is the pools'.
 */
final class Handoff {

    private final Object[] items;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();

    Handoff(int capacity) {
        this.items = new Object[capacity];
        this.mask = capacity - 1;
    }

    boolean offer(Object o) {
        long t = tail.get();
        if (t - head.get() == items.length) {
            return false;
        }
        items[(int) t & mask] = o;
        tail.lazySet(t + 1);
        return true;
    }

    Object poll() {
        long h = head.get();
        if (h == tail.get()) {
            return null;
        }
        int i = (int) h & mask;
        Object o = items[i];
        items[i] = null;
        head.lazySet(h + 1);
        return o;
    }
}
