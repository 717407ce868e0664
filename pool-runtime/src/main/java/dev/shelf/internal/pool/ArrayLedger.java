package dev.shelf.internal.pool;

import dev.shelf.internal.Strict;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * Which arrays pooled sites made, and whether each is out (held by the program) or in (released): what lets
 * {@code Shelf.release(array)} refuse an array no pooled site made and never pool an array twice. A pooled object
 * flips a flag of its own on release; an array has no field to flip, so the flag lives here, in a ticket per array.
 *
 * <h2>Tickets</h2>
 * A {@link Ticket} is a weak reference to its array, made once, when a pooled site allocates the array (a pool miss),
 * and kept for the array's life: acquiring the array again from its pool and releasing it again only flip the
 * ticket's state, so steady-state pooling allocates nothing here. The state is {@link #OUT} or {@link #IN}:
 * <ul>
 *   <li>a release compare-and-sets {@code OUT -> IN}; only the winner pools the array. A failure is a double release:
 *       the array is already in a pool (or was dropped or evicted from one), and is refused, counted and reported
 *       ({@link ClassPool#refuseArray});</li>
 *   <li>an acquire that takes the array from its pool sets {@code IN -> OUT} with a plain ordered store: taking it
 *       from the pool made the acquirer its only holder, so nothing can race with it but a release of an array
 *       that is in the pool, which the compare-and-set refuses until this store, exactly as a double release should
 *       be.</li>
 * </ul>
 * A ticket of primitive arrays also keeps the array's pool, so a release needs no lookup; a ticket of reference
 * arrays does not (the pool holds idle arrays, whose class would then be pinned by this bootstrap-loaded ledger), and
 * the release finds the pool through the element class ({@link ArrayPools#poolOf}).
 *
 * <h2>The map</h2>
 * An identity map from arrays to tickets, split by identity hash into {@value #STRIPES} stripes. Each stripe is an
 * open-addressing table of tickets (linear probing, at most 3/4 full counting removed slots) written under the
 * stripe's lock and read without it:
 * <ul>
 *   <li>A new ticket is stored into a slot that was empty or {@link #REMOVED}; a removed ticket is replaced by
 *       {@link #REMOVED}, never by {@code null}, so a probe chain is never cut; a full table is rebuilt and replaces
 *       the field. A reader that sees an older table or misses a slot written meanwhile gets a miss, and every miss
 *       is checked again under the stripe's lock (the lock orders it after every insert), as in {@link ThreadTable}.
 *       A ticket a reader accepts refers to the array it looks for: the array's identity decides, the hash only
 *       says where to look.</li>
 *   <li>The array a lookup asks about is the caller's, so it is alive and its ticket cannot be removed meanwhile.
 *       Tickets of collected arrays are queued by the collector and removed from their stripe on the next insert
 *       ({@link #expunge}); until then they cost a slot.</li>
 *   <li>A correct program hands an array to the thread that releases it with some synchronisation; that orders the
 *       ticket's creation and its last acquire (site, state) before the release. A racy program gets at worst a
 *       miss (the release is re-checked under the lock) or the wrong site counted.</li>
 * </ul>
 */
public final class ArrayLedger {

    /** The state of a ticket whose array the program holds. The initial state: tickets are made for fresh arrays. */
    static final int OUT = 0;
    /** The state of a ticket whose array was released (pooled, or dropped, or evicted). */
    static final int IN = 1;

    /** Stripes of the map; a power of two. */
    static final int STRIPES = 32;

    private static final AtomicIntegerFieldUpdater<Ticket> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Ticket.class, "state");

    /** Where the collector queues the tickets of collected arrays. */
    private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();

    /** What a removed ticket's slot holds: not empty, so that probes go on past it. */
    private static final Ticket REMOVED = new Ticket(new Object(), 0, 0, null, null);

    private static final Stripe[] MAP = new Stripe[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) {
            MAP[i] = new Stripe();
        }
    }

    private ArrayLedger() {
    }

    /**
     * One array a pooled site made: where it was last acquired and whether it is out or in.
     */
    static final class Ticket extends WeakReference<Object> {

        /** The array's identity hash: where the ticket is filed. */
        final int hash;

        /** The array's pool, for primitive arrays of a pooled length; {@code null} otherwise (looked up). */
        final @Nullable ClassPool pool;

        /**
         * The site that last acquired the array.
         * racy: written by the acquirer before its ordered store of {@link #state}, read by the releaser after its
         * compare-and-set of it; a program that hands arrays over without synchronisation may count the wrong site.
         */
        int site;

        /** {@link #OUT} or {@link #IN}; see the class comment. */
        volatile int state;

        /**
         * Where the array was last released; recorded in strict mode only, for the double-release report.
         * racy: written by the releaser that won the compare-and-set, read by a later double release: the report may
         * show an older release's stack, never a wrong array's.
         */
        @Nullable Throwable releasedAt;

        Ticket(Object array, int hash, int site, @Nullable ClassPool pool, @Nullable ReferenceQueue<Object> queue) {
            super(array, queue);
            this.hash = hash;
            this.site = site;
            this.pool = pool;
        }
    }

    /** One stripe: an open-addressing table of tickets, written under this object's lock. */
    static final class Stripe {

        /**
         * The table; a power of two long.
         * racy: the field and its slots are written under this stripe's lock and read without it; see the class
         * comment for why a stale read only costs a miss that is checked again under the lock.
         */
        Ticket[] table;
        /** The smallest table; a power of two. */
        private final int min;
        /** Slots not empty (tickets and removed ones); guarded by this. */
        int used;
        /** Tickets filed; guarded by this. */
        int live;

        Stripe() {
            this(16);
        }

        /** @param min the smallest table, a power of two (tests make it small, so that it is rebuilt often) */
        Stripe(int min) {
            this.min = min;
            this.table = new Ticket[min];
        }

        /** A lock-free lookup; {@code null} may be a stale miss. */
        @Nullable Ticket find(Object array, int hash) {
            Ticket[] t = table;
            int mask = t.length - 1;
            for (int i = index(hash, mask), n = 0; n <= mask; i = (i + 1) & mask, n++) {
                Ticket k = t[i];
                if (k == null) {
                    return null;
                }
                if (k.hash == hash && k.refersTo(array)) {
                    return k;
                }
            }
            return null;
        }

        /** The lookup: lock-free, and a miss checked again under the lock. */
        @Nullable Ticket lookup(Object array, int hash) {
            Ticket t = find(array, hash);
            return t != null ? t : findLocked(array, hash);
        }

        /** The lookup under the lock: sees every insert made before. */
        synchronized @Nullable Ticket findLocked(Object array, int hash) {
            return find(array, hash);
        }

        synchronized void add(Ticket ticket) {
            Ticket[] t = table;
            if ((used + 1) * 4 > t.length * 3) {
                t = rebuilt(t, live + 1, min);
                used = live;
            }
            int mask = t.length - 1;
            int i = index(ticket.hash, mask);
            while (t[i] != null && t[i] != REMOVED) {
                i = (i + 1) & mask;
            }
            if (t[i] == null) {
                used++;
            }
            t[i] = ticket;
            live++;
            table = t;
        }

        synchronized void remove(Ticket ticket) {
            Ticket[] t = table;
            int mask = t.length - 1;
            for (int i = index(ticket.hash, mask), n = 0; n <= mask && t[i] != null; i = (i + 1) & mask, n++) {
                if (t[i] == ticket) {
                    t[i] = REMOVED;
                    live--;
                    return;
                }
            }
        }

        /** A new table for {@code live} tickets (at most half full), without the removed slots. */
        private static Ticket[] rebuilt(Ticket[] old, int live, int min) {
            int length = min;
            while (length < 2 * live) {
                length <<= 1;
            }
            Ticket[] t = new Ticket[length];
            int mask = length - 1;
            for (Ticket k : old) {
                if (k != null && k != REMOVED) {
                    int i = index(k.hash, mask);
                    while (t[i] != null) {
                        i = (i + 1) & mask;
                    }
                    t[i] = k;
                }
            }
            return t;
        }

        /** Fibonacci hashing: the top bits of the product, which depend on every bit of the hash. */
        private static int index(int hash, int mask) {
            return (hash * 0x9E3779B9) >>> Integer.numberOfLeadingZeros(mask);
        }

        synchronized int live() {
            return live;
        }
    }

    private static Stripe stripe(int hash) {
        return MAP[hash & (STRIPES - 1)];
    }

    private static @Nullable Ticket ticket(Object array, int hash) {
        return stripe(hash).lookup(array, hash);
    }

    /**
     * Files a fresh array a pooled site just allocated, as out. Once per array; on the allocating (slow) path.
     *
     * @param array the new array
     * @param site  the site that made it
     * @param pool  its pool, or {@code null} when its length has none (the ticket still refuses double releases)
     */
    public static void add(Object array, int site, @Nullable ClassPool pool) {
        expunge();
        int hash = System.identityHashCode(array);
        boolean keepPool = pool != null && !(array instanceof Object[]);
        stripe(hash).add(new Ticket(array, hash, site, keepPool ? pool : null, COLLECTED));
    }

    /**
     * An array was taken from its pool for an acquire at {@code site}: it is out again.
     *
     * @param array the array, just taken from its pool
     * @param site  the acquiring site
     */
    public static void out(Object array, int site) {
        int hash = System.identityHashCode(array);
        Ticket t = ticket(array, hash);
        if (t != null) { // always: only released arrays, which have tickets, are in array pools
            t.site = site;
            STATE.lazySet(t, OUT);
        }
    }

    /**
     * Releases an array: pools it if a pooled site made it and it is out, refuses it if it is in already.
     *
     * @param array any array
     * @return {@code false} when no pooled site made it (nothing done); {@code true} when it was pooled (or dropped,
     *         the pool being full) or refused as a double release
     * @throws dev.shelf.PoolMisuseException on a double release, in strict mode
     */
    public static boolean release(Object array) {
        int hash = System.identityHashCode(array);
        Ticket t = ticket(array, hash);
        if (t == null) {
            return false;
        }
        ClassPool pool = t.pool;
        Object[] references = array instanceof Object[] a ? a : null;
        if (pool == null && references != null) {
            pool = ArrayPools.poolOf(references);
        }
        if (!STATE.compareAndSet(t, OUT, IN)) {
            refuse(t, array, pool);
            return true;
        }
        if (references != null) {
            Arrays.fill(references, null); // an idle array pins nothing
        }
        if (Strict.isOn()) {
            t.releasedAt = Strict.releasedHereDetached(); // no backtrace: this ledger must pin no class
            Strict.poison(array);
        }
        if (pool != null) {
            pool.release(array, t.site);
        }
        return true;
    }

    private static void refuse(Ticket t, Object array, @Nullable ClassPool pool) {
        if (pool != null) {
            pool.refuseArray(array, t.site, t.releasedAt);
        } else if (Strict.isOn()) {
            throw Strict.doubleReleaseOfArray(Strict.arrayName(array), array, t.releasedAt);
        } else {
            DoubleRelease.report(Strict.arrayName(array), true);
        }
    }

    /** Removes the tickets of collected arrays. On the allocating path; cheap when there are none. */
    static void expunge() {
        for (java.lang.ref.Reference<?> r; (r = COLLECTED.poll()) != null; ) {
            if (r instanceof Ticket t) {
                stripe(t.hash).remove(t);
            }
        }
    }

    /** Returns the tickets filed now (for tests). */
    static int size() {
        expunge();
        int n = 0;
        for (Stripe s : MAP) {
            n += s.live();
        }
        return n;
    }

    /**
     * Returns whether a pooled site made the array and it is released now (for tests).
     *
     * @param array an array
     */
    static boolean isReleased(Object array) {
        Ticket t = ticket(array, System.identityHashCode(array));
        return t != null && t.state == IN;
    }
}
