package dev.shelf.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything one platform thread keeps for all pooled classes: its {@link ThreadShelf} for each class, indexed by the
 * class shelf's {@link ClassShelf#index}, and a hint to the shelf it used last.
 *
 * <p><b>One {@code ThreadLocal} for all classes.</b> A {@code static final ThreadLocal} is a constant to the JIT, so
 * its hash and the map probe fold into a few loads; a {@code ThreadLocal} per pooled class would be an instance field
 * the JIT must load, and would put one map entry per class into every thread. The array index that replaces the
 * per-class lookup is a bounds check and a load. Indices are never reused, so a stash can never hand a thread the
 * shelf of a class that was unloaded and replaced; a redeployed application costs each thread one array slot per
 * pooled class.
 *
 * <p><b>The hint</b> makes {@link dev.shelf.Shelf#release(Object)} cheap. Release only has the object, and finding a
 * class's pool from an object ({@code ClassValue}) costs more than the rest of the release together. Most releases
 * are of the class the thread acquired or released last, so the release path first checks the hint's class — held
 * weakly, compared with {@code refersTo}, no class-loader leak — and only on a miss looks the class up.
 *
 * <p>Only the owning thread reads or writes a stash.
 */
final class ThreadStash {

    private static final ThreadLocal<ThreadStash> LOCAL = ThreadLocal.withInitial(ThreadStash::new);
    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();
    private static final ThreadShelf[] NONE = new ThreadShelf[0];

    private ThreadShelf[] shelves = NONE;

    /** The shelf this thread acquired from or released into last; may be stale, checked before use. */
    ThreadShelf hint;

    private ThreadStash() {
    }

    /** @return the calling platform thread's stash; never call this on a virtual thread */
    static ThreadStash current() {
        return LOCAL.get();
    }

    /** @return a fresh index for a new class shelf */
    static int newIndex() {
        return NEXT_INDEX.getAndIncrement();
    }

    /**
     * @param index a class shelf's index
     * @return this thread's shelf for that class, or {@code null} if it has none yet
     */
    ThreadShelf shelf(int index) {
        ThreadShelf[] a = shelves;
        return index < a.length ? a[index] : null;
    }

    /**
     * @param index a class shelf's index
     * @param shelf this thread's (new) shelf for that class
     */
    void put(int index, ThreadShelf shelf) {
        if (index >= shelves.length) {
            shelves = Arrays.copyOf(shelves, Math.max(index + 1, 2 * shelves.length));
        }
        shelves[index] = shelf;
    }
}
