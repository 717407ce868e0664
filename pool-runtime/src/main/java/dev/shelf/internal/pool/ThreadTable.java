package dev.shelf.internal.pool;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finds the calling platform thread's {@link ThreadShelf} in its class shelf's own table, instead of through a JDK
 * {@code ThreadLocal}. The table is a plain {@code ThreadShelf[]} (a power of two long) held in a field of the
 * {@link ClassPool}; these are the static operations on it.
 *
 * <h2>Why not a {@code ThreadLocal}</h2>
 * {@code ThreadLocal.get()} is about eight dependent loads (the thread's map, its table, the length, the hash, the
 * entry, the entry's key, the value) and shares its hash table with every other thread local of the application —
 * collisions, stale-entry expunging. Here the thread's id is the index: {@code table[id & (length - 1)]}, then one
 * compare. And the thread never reaches its shelf, so the shelf may hold its objects strongly
 * (see {@link ThreadShelf}).
 *
 * <h2>Indexing</h2>
 * Thread ids are handed out sequentially and never reused, so the ids of threads alive at the same time mostly form
 * a few dense runs; used directly as the index, they rarely collide. {@link #of} sizes the table to at least twice
 * the shelves it files and doubles it (up to four times that) until no two shelves share a home slot, so a lookup is
 * normally the home slot alone; a collision that remains is resolved by linear probing ({@link #probe}), on the
 * caller's slow path. An entry is accepted only if it {@link ThreadShelf#refersTo(Object) refers to} the calling
 * thread, so the id is only ever a hint: a {@code Thread} subclass whose {@code getId()} is not unique or not stable
 * costs probing, never a shared shelf.
 *
 * <h2>Publication: copy-on-write, plain field</h2>
 * A table is never modified once it is stored in the field: every change (a new thread, folding ended ones) builds a
 * new array under the class shelf's lock and stores it. The field is deliberately <em>not</em> volatile (a volatile
 * load would also keep the JIT from hoisting it and from merging the two lookups of an inlined acquire and release).
 * That is safe because a racy read can only ever cost a miss, and every miss is re-checked under the lock:
 * <ul>
 *   <li>A thread's own shelf is inserted by that thread, so the thread reads the table it stored or a later one
 *       (stores to the field are ordered by the lock), and every later table contains every live thread's shelf.
 *       The entry of a live thread never changes; it may only move to another index of another table, and each
 *       table is indexed by its own length.</li>
 *   <li>A thread reading another thread's newer table without synchronisation may see its elements as
 *       {@code null}, or an entry whose reference to its owner is not yet visible: both are misses. An entry it
 *       accepts refers to the calling thread, so the calling thread made it, and sees all of its fields.</li>
 *   <li>Array lengths are final: a table's length is always seen correctly.</li>
 *   <li>A miss goes to {@link ClassPool}'s slow path, which probes again and, before creating a shelf, probes the
 *       table under the lock — where it is guaranteed to see every earlier insert — so a thread never gets two
 *       shelves.</li>
 * </ul>
 *
 * <h2>Bounded under thread churn</h2>
 * Ended threads' shelves are folded away (their entries removed) when the class shelf's list of shelves doubles,
 * and after every collection; the table is rebuilt from the live list each time, so its size follows the number of
 * live threads, not the number of threads ever seen.
 */
final class ThreadTable {

    /** The smallest table. */
    static final int MIN = 8;

    private ThreadTable() {
    }

    /**
     * The hot lookup: the calling thread's shelf if it sits at its home slot.
     *
     * @param table a published table
     * @param t     the calling thread
     * @return its shelf, or {@code null}: not at home, or none yet, or a virtual thread — the caller's slow path
     *         {@linkplain #probe probes}
     */
    static @Nullable ThreadShelf home(ThreadShelf[] table, Thread t) {
        ThreadShelf s = table[(int) t.getId() & (table.length - 1)];
        return s != null && s.refersTo(t) ? s : null;
    }

    /**
     * The full lookup: from the home slot to the first empty one.
     *
     * @param table a published table
     * @param t     the calling thread
     * @return its shelf, or {@code null} if this table has none for it
     */
    static @Nullable ThreadShelf probe(ThreadShelf[] table, Thread t) {
        int mask = table.length - 1;
        for (int i = (int) t.getId() & mask, n = 0; n < table.length; i = (i + 1) & mask, n++) {
            ThreadShelf s = table[i];
            if (s == null) {
                return null;
            }
            if (s.refersTo(t)) {
                return s;
            }
        }
        return null;
    }

    /**
     * A new table filing {@code shelves}: at least twice as long as their number, longer (up to four times more)
     * while two of them would share a home slot.
     *
     * @param shelves the live shelves; read under the class shelf's lock
     * @return a table to publish; never modified afterwards
     */
    static ThreadShelf[] of(List<ThreadShelf> shelves) {
        int length = MIN;
        while (length < 2 * shelves.size()) {
            length <<= 1;
        }
        for (int longest = 4 * length; length < longest && collides(shelves, length); ) {
            length <<= 1;
        }
        ThreadShelf[] table = new ThreadShelf[length];
        int mask = length - 1;
        for (ThreadShelf s : shelves) {
            int i = (int) s.id & mask;
            while (table[i] != null) {
                i = (i + 1) & mask;
            }
            table[i] = s;
        }
        return table;
    }

    /** @return whether two of {@code shelves} have the same home slot in a table of {@code length} */
    private static boolean collides(List<ThreadShelf> shelves, int length) {
        boolean[] taken = new boolean[length];
        int mask = length - 1;
        for (ThreadShelf s : shelves) {
            int i = (int) s.id & mask;
            if (taken[i]) {
                return true;
            }
            taken[i] = true;
        }
        return false;
    }
}
