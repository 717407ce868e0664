package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;
import dev.shelf.internal.Recyclable;
import dev.shelf.internal.Sites;
import dev.shelf.internal.Strict;
import dev.shelf.internal.observe.RuntimeLog;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The pool of one {@code @Pooled} class. Rewritten code calls {@link #acquire(int)} from the class's generated factory
 * with the number of the allocation site, and {@link #release(Object, int)} from the object's generated
 * {@code $shelf$release()}, which {@link dev.shelf.Shelf#release(Object)} calls: the object knows its pool and the
 * site that acquired it, so a release needs no lookup.
 *
 * <p>The same machinery pools arrays: {@link ArrayPools} makes one pool per array type and exact length (named
 * {@code byte[65536]}, its sites numbered under {@code byte[]}, its element size exact), and the {@link ArrayLedger}
 * stands in for the flag a pooled object flips on release.
 *
 * <p>Generated code knows every pool as {@link dev.shelf.internal.ClassShelf}, this class's only subclass (tests of
 * this package make plain instances): that name and the descriptors of the methods generated code calls
 * ({@code acquire}, {@code release}, {@code refuse}) are the runtime ABI. Those methods are {@code final} here, so a
 * call through {@code ClassShelf} binds to this code exactly as if it were declared there, and the machinery they use
 * ({@link ThreadShelf}, {@link Depot}, ...) stays private to this package.
 *
 * <h2>Where idle objects live</h2>
 * <ul>
 *   <li>Each platform thread has a {@link ThreadShelf}: a bounded LIFO stack only that thread touches, found in this
 *       pool's own {@link ThreadTable} by the thread's id (no JDK {@code ThreadLocal}). A same-thread acquire or
 *       release is that one lookup and a few plain loads and stores — no lock, no CAS, no allocation, no volatile
 *       access, no megamorphic call, no collector barrier.</li>
 *   <li>A {@link Depot} shared by the class's threads takes a thread's surplus in crates when its stack is full and
 *       refills a thread whose stack ran dry, so objects released on another thread flow back to the thread that
 *       acquires. Lock-free, bounded by {@code maxShared}.</li>
 *   <li>Virtual threads never get a stack (a million short-lived threads would make a million pools); they share a
 *       small striped {@link VirtualShelf}. They are never filed in the table, so their lookup misses and the
 *       slow path sends them there: the hot path does not even ask whether the thread is virtual.</li>
 * </ul>
 *
 * <h2>Forgetting, like Go's victim cache</h2>
 * Objects that sit idle across two garbage collections are dropped. After each collection the {@link GcWatch}
 * reports, this shelf {@linkplain ThreadShelf#park parks} every thread shelf's slot array ({@code onGc}): the array
 * moves to the shelf's {@code parked} field and {@code slots} becomes the shared empty {@link ThreadShelf#CHECK_IN}
 * array. An array that was still parked from the collection before (its owner did not come back for a whole cycle)
 * is dropped with everything on it. The owner's hot path compares its index with {@code slots.length} anyway, so it
 * falls into the slow path at its next access and {@linkplain ThreadShelf#checkIn checks in}: it takes its array back
 * minus the objects below its low-water mark (untouched for the whole cycle). The depot and the virtual-thread slots
 * drop what was put there before the previous collection. Under memory pressure every idle object is dropped at once.
 *
 * <h2>Why trimming never hands an object to two holders, and the counts stay exact</h2>
 * <ul>
 *   <li><b>An array has one owner for life.</b> A slot array is made for one shelf and only ever stored in that
 *       shelf's {@code slots} or {@code parked}; the trimmer moves it between the two or forgets it, and hands it to
 *       nobody. Only the owner reads or writes its contents, its {@code size} and its {@code low}.</li>
 *   <li><b>Owner mid-operation.</b> The owner reads {@code slots} once into a local and works on that array. If the
 *       trimmer parks it in between, the owner finishes its pop or push on the parked array: the object it popped is
 *       gone from that array, the object it pushed is on it, and its {@code size} describes that array exactly. At
 *       check-in it gets the same array back, so nothing is lost or duplicated; the trimming there is done by the
 *       owner itself, under the lock.</li>
 *   <li><b>Dropped arrays.</b> If the array is dropped (a second collection, or pressure) before the owner comes back,
 *       the objects on it are simply garbage: the owner counts its {@code size} as evicted at check-in and starts
 *       over with an empty array. Until then {@link #snapshot()} counts that {@code size} as evicted, not idle. An
 *       owner still working on the dropped array (its local copy) keeps using objects nobody else can see; its counts
 *       stay balanced, because what it pops is counted as reused and leaves {@code size}.</li>
 *   <li><b>Stale reads.</b> {@code slots} is a plain field written under this lock; the owner reads it without the
 *       lock. Whatever value it sees is an array it owns or {@link ThreadShelf#CHECK_IN}: it never sees a value older
 *       than its own last check-in (its own write), and an older array than the trimmer's latest write is the "owner
 *       mid-operation" case, however long the JIT keeps the value in a register. {@link ThreadShelf#checkIn} re-reads
 *       the field under the lock and returns the array as it is. Check-in and parking both run under the lock, so
 *       they never interleave.</li>
 *   <li><b>Growing.</b> A stack starts empty and grows on the owner's release slow path, within the
 *       {@link IdleBudget}: under the lock, and only if {@code slots} is still the array the owner read (not parked
 *       since), the owner replaces it with a longer copy and continues on the copy; the old array is forgotten, never
 *       handed to anyone. A check-in after a collection shrinks the array to the working set the same way, under the
 *       lock, by its owner.</li>
 *   <li><b>Ended threads</b> are folded under the lock once {@code isAlive()} is false, which happens after
 *       everything the thread did: their {@code size} and counters are final.</li>
 * </ul>
 *
 * <h2>No class-loader leaks</h2>
 * Nothing reachable from a thread, from the bootstrap-loaded registry or from a GC root holds a pooled object
 * strongly: the thread shelves, their arrays, the depot and this object are reachable only from the pooled class
 * (its static field, its {@code ClassValue} entry), and a thread shelf refers to its thread weakly. When an
 * application's class loader is discarded, its pools go with it.
 */
public class ClassPool {

    /**
     * The platform threads' shelves by thread id; copy-on-write, replaced under the lock, read without it.
     * racy: a plain field, read without the lock by every acquire and release. A stale or partly visible table only
     * costs a miss, which the slow path checks again under the lock ({@link ThreadTable}, "Publication").
     */
    private ThreadShelf[] threads = ThreadTable.of(List.of());

    /** A line of the registration's field description: an owned primitive array of constant length, kept. */
    static final String FIELD_KEPT = "kept";
    /** A line of the registration's field description: an array or container reuse makes anew. */
    static final String FIELD_REMADE = "remade";

    /** The pool's name in statistics: the class's binary name, or an array pool's type and length, {@code byte[16]}. */
    private final String className;
    /** The name its sites are numbered under ({@link Sites}): the class's name, or the array type's, {@code byte[]}. */
    private final String sitesKey;
    /** The exact size of one pooled array ({@link ArrayPools}); 0 for a pool of objects, whose size is estimated. */
    private final long arrayBytes;
    /** Fields reuse makes anew, one line each: {@code field TAB bytes or -1 TAB reason}. */
    private final String remade;
    /** Estimated bytes of the owned constant-length primitive arrays reuse keeps, declared by this class. */
    private final long keptArrayBytes;
    /** How many such arrays. */
    private final int keptArrays;
    private final int capacity;
    private final Depot depot;
    private final VirtualShelf virtual;

    /*
     * Sizes seen on slow paths: the shell from the declared fields (0 until computed), the largest owned storage a
     * released object reported, and their largest sum.
     * racy: read and written by any thread's slow path without the lock. A stale read, or a lost update when two
     * releases raise a maximum at once, only leaves an estimate low until a later release measures again; the
     * estimates size reservations in the IdleBudget and the exit report, never what is handed out. (Plain longs may
     * tear on a JVM without atomic 64-bit stores, JLS 17.7; 64-bit HotSpot has them.)
     */
    private long shellBytes;
    private long ownedBytes;
    private long objectBytes;

    /**
     * Collections seen; stamps what goes into the depot and the virtual-thread slots. Read on slow paths only.
     * racy (timing, not a data race): written under the lock, read without it; a release that read it just before a
     * collection stamps its crate a collection old, so the crate is evicted a collection early, never twice.
     */
    private volatile int epoch;

    // Everything below is guarded by this.

    /** Every platform thread's shelf, for statistics, trimming, folding and rebuilding the table. */
    private final List<ThreadShelf> shelves = new ArrayList<>();
    /** Fold ended threads when {@link #shelves} reaches this size, so thread churn costs amortised O(1). */
    private int foldAt = 16;

    /** Per-site counters of shelves that were folded away (ended threads); see {@link SiteCounts}. */
    private long[] foldedCounts = SiteCounts.forSites(1);
    /** Idle objects of ended threads, and shared evictions. */
    private long foldedEvicted;

    /** Refused double releases, per acquiring site; rare, so shared adders. Outside the lock. */
    private final SiteCounts.Shared doubleReleases = new SiteCounts.Shared(1);

    /**
     * @param type      the pooled class; only its name is kept
     * @param capacity  idle objects one thread may keep, at least 1
     * @param maxShared idle objects the shared depot may keep, 0 for none
     */
    ClassPool(Class<?> type, int capacity, int maxShared) {
        this(type, capacity, maxShared, "");
    }

    /**
     * @param type      the pooled class; only its name is kept
     * @param capacity  idle objects one thread may keep, at least 1
     * @param maxShared idle objects the shared depot may keep, 0 for none
     * @param fields    what the agent found the constructors allocate into fields
     *                  ({@link dev.shelf.internal.ShelfRegistry#register(Class, int, int, String)})
     */
    protected ClassPool(Class<?> type, int capacity, int maxShared, String fields) {
        StringBuilder remadeLines = new StringBuilder();
        long keptBytes = 0;
        int kept = 0;
        for (String line : fields.split("\n", -1)) {
            String[] f = line.split("\t", 4);
            if (f.length == 3 && f[0].equals(FIELD_KEPT)) {
                long bytes = Long.parseLong(f[2]);
                if (bytes >= 0) {
                    keptBytes += bytes;
                    kept++;
                }
            } else if (f.length == 4 && f[0].equals(FIELD_REMADE)) {
                remadeLines.append(f[1]).append('\t').append(f[2]).append('\t').append(f[3]).append('\n');
            }
        }
        this.remade = remadeLines.toString();
        this.keptArrayBytes = keptBytes;
        this.keptArrays = kept;
        if (capacity < 1 || maxShared < 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", maxShared " + maxShared);
        }
        this.className = type.getName();
        this.sitesKey = className;
        this.arrayBytes = 0;
        this.capacity = capacity;
        int crate = Math.max(1, Math.min(32, capacity / 2));
        this.depot = new Depot(maxShared, maxShared == 0 ? crate : Math.min(crate, maxShared));
        this.virtual = new VirtualShelf(Math.min(maxShared, 4 * Runtime.getRuntime().availableProcessors()));
    }

    /**
     * The pool of one array type and length ({@link ArrayPools}): its elements are arrays of exactly that length, whose
     * size is known exactly rather than estimated, and its sites are numbered under the array type.
     *
     * @param name       the pool's name in statistics, {@code byte[65536]}
     * @param sitesKey   the name its sites are registered under, {@code byte[]}
     * @param arrayBytes the size of one array: header plus length times element size, aligned
     * @param capacity   idle arrays one thread may keep, at least 1
     * @param maxShared  idle arrays the shared depot may keep, 0 for none
     */
    ClassPool(String name, String sitesKey, long arrayBytes, int capacity, int maxShared) {
        if (capacity < 1 || maxShared < 0 || arrayBytes <= 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", maxShared " + maxShared + ", bytes "
                    + arrayBytes);
        }
        this.remade = "";
        this.keptArrayBytes = 0;
        this.keptArrays = 0;
        this.className = name;
        this.sitesKey = sitesKey;
        this.arrayBytes = arrayBytes;
        this.shellBytes = arrayBytes;
        this.objectBytes = arrayBytes;
        this.capacity = capacity;
        int crate = Math.max(1, Math.min(32, capacity / 2));
        this.depot = new Depot(maxShared, maxShared == 0 ? crate : Math.min(crate, maxShared));
        this.virtual = new VirtualShelf(Math.min(maxShared, 4 * Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Takes an idle object of this class for an acquire at {@code site} on the calling thread, and counts it there.
     * This is what a pooled class's generated factory calls, with its site number as a constant.
     *
     * @param site the acquiring site's number from {@link Sites#register}, or {@link Sites#UNATTRIBUTED}
     * @return an object to re-initialise, or {@code null} when the caller must allocate
     */
    public final @Nullable Object acquire(int site) {
        Thread t = Thread.currentThread();
        ThreadShelf s = ThreadTable.home(threads, t);
        if (s != null) {
            Object o = s.pop(site);
            if (o != null) {
                return o;
            }
        }
        return acquireSlow(s, t, site);
    }

    /**
     * {@link #acquire(int)} for a caller that is not a rewritten site (tests, hand-written pool users).
     *
     * @return an object to re-initialise, or {@code null} when the caller must allocate
     */
    public final @Nullable Object acquire() {
        return acquire(Sites.UNATTRIBUTED);
    }

    /**
     * Keeps {@code o} for a later acquire. The caller guarantees {@code o}'s class is exactly this pool's class and
     * that it no longer uses {@code o}. A pooled object's generated {@code $shelf$release()} calls this with the
     * site it remembered at acquisition, so that the release is counted for that site whichever thread releases.
     *
     * @param o    the object to keep for reuse
     * @param site the number of the site that acquired {@code o}
     */
    public final void release(Object o, int site) {
        Thread t = Thread.currentThread();
        ThreadShelf s = ThreadTable.home(threads, t);
        if (s == null || !s.push(o, site)) {
            releaseSlow(s, t, o, site);
        }
    }

    /**
     * {@link #release(Object, int)} of an object not acquired at a rewritten site.
     *
     * @param o the object to keep for reuse
     */
    public final void release(Object o) {
        release(o, Sites.UNATTRIBUTED);
    }

    /**
     * A second release of an object that is already released: never pooled again (its own compare-and-set refused
     * it), only counted for its acquiring site and reported, or thrown in strict mode. Called by generated code.
     *
     * @param o    the object released twice
     * @param site the number of the site that acquired it
     * @throws dev.shelf.PoolMisuseException in strict mode
     */
    public final void refuse(Object o, int site) {
        doubleReleases.increment(Math.max(0, site), 0);
        if (Strict.isOn() && o instanceof Recyclable r) {
            throw Strict.doubleRelease(r);
        }
        DoubleRelease.report(className, false);
    }

    /**
     * A second release of an array of this pool that is already released: never pooled again (its ledger ticket
     * refused it, {@link ArrayLedger}), only counted for its acquiring site and reported, or thrown in strict mode.
     *
     * @param array    the array released twice
     * @param site     the number of the site that acquired it
     * @param released where it was released before, recorded in strict mode only; {@code null} otherwise
     * @throws dev.shelf.PoolMisuseException in strict mode
     */
    final void refuseArray(Object array, int site, @Nullable Throwable released) {
        doubleReleases.increment(Math.max(0, site), 0);
        if (Strict.isOn()) {
            throw Strict.doubleReleaseOfArray(className, array, released);
        }
        DoubleRelease.report(className, true);
    }

    // ---- slow paths: the calling (owner) thread only, except where they take the lock ---------------------------

    private @Nullable Object acquireSlow(@Nullable ThreadShelf s, Thread t, int site) {
        if (s == null && (s = shelfOf(t)) == null) {
            return virtual.acquire(virtualHome(t), site);
        }
        site = valid(site);
        Object[] slots = s.slots;
        if (slots == ThreadShelf.CHECK_IN) {
            slots = checkIn(s);
        }
        long[] c = s.countsFor(site, sitesKey);
        c[site * SiteCounts.STRIDE + SiteCounts.ACQUIRED]++;
        if (s.size == 0) {
            if (slots.length < depot.crateSize() && objectBytes > 0 && depot.mayHold()) {
                // room for a crate from the depot, within the idle-bytes budget (a crate there means a release
                // measured the objects' size: objectBytes is known)
                Object[] grown = grow(s, slots, depot.crateSize(), objectBytes);
                slots = grown != null ? grown : slots;
            }
            int n = slots.length < depot.crateSize() ? 0 : depot.refill(slots, s.home);
            if (n == 0) {
                c[site * SiteCounts.STRIDE + SiteCounts.ALLOCATED]++;
                return null;
            }
            s.size = n;
        }
        return s.take(slots);
    }

    private void releaseSlow(@Nullable ThreadShelf s, Thread t, Object o, int site) {
        if (s == null && (s = shelfOf(t)) == null) {
            virtual.release(o, virtualHome(t), epoch, site);
            return;
        }
        site = valid(site);
        Object[] slots = s.slots;
        if (slots == ThreadShelf.CHECK_IN) {
            slots = checkIn(s);
        }
        long[] c = s.countsFor(site, sitesKey);
        c[site * SiteCounts.STRIDE + SiteCounts.RELEASED]++;
        int n = s.size;
        Object[] grown;
        if (n < slots.length) {
            slots[n] = o;
            s.size = n + 1;
        } else if (slots.length < capacity
                && (grown = grow(s, slots, Math.min(capacity, Math.max(4, 2 * slots.length)), bytesOf(o))) != null) {
            grown[n] = o;
            s.size = n + 1;
        } else if (n >= depot.crateSize() && depot.spill(slots, s.home, epoch, s.slotBytes)) {
            s.dropBottom(slots, depot.crateSize());
            slots[s.size++] = o;
        } else {
            c[site * SiteCounts.STRIDE + SiteCounts.DROPPED]++;
        }
    }

    /** Grows the owner's stack, within the idle-bytes budget; see {@link ThreadShelf#grow}. */
    private synchronized Object @Nullable [] grow(ThreadShelf s, Object[] slots, int length, long objectBytes) {
        return s.grow(slots, length, objectBytes);
    }

    /**
     * The estimated size of a released object: its shell, from the class's declared fields, plus what it owns and
     * keeps (its generated {@code $shelf$ownedBytes()}: arrays at their length now, containers at their storage).
     * Slow paths only. Remembers the largest seen, for the exit report and for refills.
     */
    private long bytesOf(Object o) {
        if (arrayBytes > 0) {
            return arrayBytes; // exact: every array of this pool has the same type and length
        }
        long shell = shellBytes;
        if (shell == 0) {
            shell = SizeEstimate.shallowOf(o.getClass());
            shellBytes = shell;
        }
        long owned = o instanceof Recyclable r ? r.$shelf$ownedBytes() : 0;
        if (owned > ownedBytes) {
            ownedBytes = owned;
        }
        long bytes = shell + owned;
        if (bytes > objectBytes) {
            objectBytes = bytes;
        }
        return bytes;
    }

    /** A site number the counters can take: a bad one (from hand-written code) counts as unattributed. */
    static int valid(int site) {
        return site >= 0 && site < Sites.MAX ? site : Sites.UNATTRIBUTED;
    }

    /**
     * The calling thread's shelf when it is not at its home slot: probes the table, and files a new shelf for a
     * platform thread that has none.
     *
     * @return the shelf, or {@code null} for a thread that shares the striped pool (a virtual thread)
     */
    private @Nullable ThreadShelf shelfOf(Thread t) {
        ThreadShelf s = ThreadTable.probe(threads, t);
        if (s != null) {
            return s;
        }
        if (VirtualThreads.isVirtual(t)) {
            return null;
        }
        return register(t);
    }

    /** Files a shelf for {@code t}, unless one is filed already (seen for sure under the lock). */
    private synchronized @Nullable ThreadShelf register(Thread t) {
        ThreadShelf s = ThreadTable.probe(threads, t);
        if (s != null) {
            return s;
        }
        for (ThreadShelf other : shelves) {
            if (other.refersTo(t)) {
                // Filed under another id: this thread's getId() is not stable (a Thread subclass overriding it).
                // A second shelf would make the table grow with every call; it shares the striped pool instead.
                RuntimeLog.warnOnce("unstable-thread-id:" + className, "thread '" + t.getName()
                        + "' reports changing ids (getId() overridden?); its " + className
                        + " objects go to the shared pool, not a thread-local stack");
                return null;
            }
        }
        if (shelves.size() >= foldAt) {
            foldEndedThreads();
            foldAt = Math.max(16, 2 * shelves.size());
        }
        s = new ThreadShelf(t, t.getId(), SiteCounts.forSites(Sites.count(sitesKey)));
        shelves.add(s);
        threads = ThreadTable.of(shelves);
        return s;
    }

    /** The owner checks in after a collection parked its array; see {@link ThreadShelf#checkIn}. */
    private synchronized Object[] checkIn(ThreadShelf s) {
        return s.checkIn();
    }

    private static int virtualHome(Thread t) {
        return ThreadShelf.mix(t.getId());
    }

    // ---- called by other threads --------------------------------------------------------------------------------

    /**
     * A garbage collection finished: park every thread shelf's array so that owners check in again (dropping the
     * arrays still parked from the collection before), and drop shared objects that sat idle across two
     * collections. Under memory pressure, drop every idle object now. Called by {@link Pools} on the GC
     * watch's thread.
     *
     * @param pressure whether the heap was still nearly full after the collection
     */
    synchronized void onGc(boolean pressure) {
        int now = epoch + 1;
        epoch = now;
        for (ThreadShelf s : shelves) {
            s.park(pressure);
        }
        int oldestKept = pressure ? Integer.MAX_VALUE : now - 1;
        foldedEvicted += depot.evictOlderThan(oldestKept) + virtual.evictOlderThan(oldestKept);
        foldEndedThreads();
        Pools.OBSERVERS.collected(this, pressure); // JFR eviction event; never throws
    }

    /**
     * Adds up every thread's counters, per site and for the class. Exact once the threads that use this pool are
     * quiet; a few operations stale under traffic.
     *
     * @return this pool's counters now
     */
    public final synchronized ShelfStats.PoolStats snapshot() {
        foldEndedThreads();
        long[] sum = SiteCounts.addInto(SiteCounts.forSites(1), foldedCounts);
        long evicted = foldedEvicted;
        long idle = (long) depot.idle() + virtual.idle();
        for (ThreadShelf s : shelves) {
            int size = s.size;
            sum = SiteCounts.addInto(sum, s.counts);
            evicted += s.evicted;
            if (s.holds()) {
                idle += size;
            } else {
                evicted += size; // the array was dropped; the owner will count them when it comes back
            }
        }
        String[] names = Sites.names(sitesKey);
        int sites = Math.max(Math.max(names.length, sum.length / SiteCounts.STRIDE),
                Math.max(virtual.sites(), doubleReleases.sites()));
        long acquired = 0;
        long allocated = 0;
        long released = 0;
        long dropped = 0;
        List<ShelfStats.SiteStats> perSite = new ArrayList<>();
        for (int site = 0; site < sites; site++) {
            long[] k = new long[SiteCounts.STRIDE];
            for (int kind = 0; kind < SiteCounts.STRIDE; kind++) {
                int i = site * SiteCounts.STRIDE + kind;
                k[kind] = (i < sum.length ? sum[i] : 0) + virtual.count(site, kind);
            }
            long refused = doubleReleases.get(site, 0);
            acquired += k[SiteCounts.ACQUIRED];
            allocated += k[SiteCounts.ALLOCATED];
            released += k[SiteCounts.RELEASED];
            dropped += k[SiteCounts.DROPPED];
            if (k[SiteCounts.ACQUIRED] != 0 || k[SiteCounts.RELEASED] != 0 || refused != 0) {
                // A site that was rewritten but never ran (or whose code runs against another copy of this class)
                // has nothing to say and is left out.
                String name = site < names.length ? names[site] : "site #" + site;
                perSite.add(new ShelfStats.SiteStats(name, k[SiteCounts.ACQUIRED],
                        k[SiteCounts.ACQUIRED] - k[SiteCounts.ALLOCATED], k[SiteCounts.ALLOCATED],
                        k[SiteCounts.RELEASED], k[SiteCounts.DROPPED], refused));
            }
        }
        return new ShelfStats.PoolStats(className, capacity, acquired, acquired - allocated, allocated, released,
                dropped, idle, evicted, depot.capacity(), perSite);
    }

    /** Drops the shelves of ended threads; their idle objects count as evicted. Caller holds the lock. */
    private void foldEndedThreads() {
        boolean folded = false;
        for (Iterator<ThreadShelf> it = shelves.iterator(); it.hasNext(); ) {
            ThreadShelf s = it.next();
            if (s.ownerGone()) {
                it.remove();
                s.letGo();
                foldedCounts = SiteCounts.addInto(foldedCounts, s.counts);
                foldedEvicted += s.evicted + s.size;
                folded = true;
            }
        }
        if (folded) {
            threads = ThreadTable.of(shelves);
        }
    }

    /** Returns the pooled class's binary name. */
    public final String className() {
        return className;
    }

    /** Returns the exact size of one pooled array, or 0 for a pool of objects. */
    final long arrayBytes() {
        return arrayBytes;
    }

    /** Returns how many idle objects one thread may keep. */
    public final int capacity() {
        return capacity;
    }

    /**
     * Returns the largest owned storage a released object was seen with.
     *
     * @return the largest owned storage (arrays at their length, containers at their estimated storage) a released
     *         object of this class was seen with on a slow path, or 0 when none was measured
     */
    public final long ownedBytesSeen() {
        return ownedBytes;
    }

    /** Returns the fields reuse makes anew, one line each: {@code field TAB bytes or -1 TAB reason}. */
    String remade() {
        return remade;
    }

    /**
     * Returns the estimated bytes of the kept constant-length arrays.
     *
     * @return estimated bytes of the primitive arrays of constant length this class's constructors allocate into
     *         fields that reuse keeps, as the agent found them (superclasses not included)
     */
    long keptArrayBytes() {
        return keptArrayBytes;
    }

    /** Returns how many arrays {@link #keptArrayBytes()} counts. */
    int keptArrays() {
        return keptArrays;
    }

    /** Returns how many idle objects the shared depot may keep. */
    public final int sharedCapacity() {
        return depot.capacity();
    }

    /** Returns the number of garbage collections this pool has seen (for tests). */
    int epoch() {
        return epoch;
    }

    /** Returns how many thread shelves this pool has now (for tests). */
    synchronized int threadShelves() {
        return shelves.size();
    }

    /** Returns the length of the thread table now (for tests). */
    synchronized int threadTableLength() {
        return threads.length;
    }
}
