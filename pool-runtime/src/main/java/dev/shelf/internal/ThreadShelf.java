package dev.shelf.internal;

import java.lang.ref.WeakReference;

/**
 * One thread's idle objects of one pooled class: a bounded LIFO stack with the thread's counters.
 *
 * <p>Only its owner thread writes to it, so nothing here is synchronised. LIFO because the object released last is
 * the one most likely still in this core's cache. The counters are plain longs: other threads read them only for
 * statistics, where a value a few operations stale is fine, and a volatile or atomic write on every acquire would
 * cost more than the pool saves.
 */
final class ThreadShelf {

    private final Object[] slots;
    private int size;

    /** The thread that owns this shelf; cleared or dead means the shelf can be folded away. */
    final WeakReference<Thread> owner;

    long acquired;
    long reused;
    long released;
    long dropped;

    ThreadShelf(int capacity, Thread owner) {
        this.slots = new Object[capacity];
        this.owner = new WeakReference<>(owner);
    }

    /**
     * Takes the most recently released object.
     *
     * @return an idle object, or {@code null} when this thread has none
     */
    Object pop() {
        acquired++;
        int n = size;
        if (n == 0) {
            return null;
        }
        Object o = slots[--n];
        slots[n] = null;
        size = n;
        reused++;
        return o;
    }

    /**
     * Keeps {@code o} for this thread's next acquire, or drops it when the shelf is full.
     *
     * @param o the released object
     */
    void push(Object o) {
        released++;
        int n = size;
        if (n == slots.length) {
            dropped++;
            return;
        }
        slots[n] = o;
        size = n + 1;
    }

    /** @return idle objects on this shelf now (racy when read by another thread) */
    int size() {
        return size;
    }

    /** @return whether the owning thread has ended, so nobody will use this shelf again */
    boolean ownerGone() {
        Thread t = owner.get();
        return t == null || !t.isAlive();
    }
}
