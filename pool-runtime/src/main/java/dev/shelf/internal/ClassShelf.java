package dev.shelf.internal;

import dev.shelf.ShelfStats;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The pool of one {@code @Pooled} class. Rewritten code calls {@link #acquire(int)} from the class's generated factory
 * with the number of the allocation site, and {@link #release(Object, int)} from the object's generated
 * {@code $shelf$release()}, which {@link dev.shelf.Shelf#release(Object)} calls: the object knows its pool and the
 * site that acquired it, so a release needs no lookup.
 *
 * <h2>Where idle objects live</h2>
 * <ul>
 *   <li>Each platform thread has a {@link ThreadShelf}: a bounded LIFO stack only that thread touches, found through
 *       this pool's own {@code ThreadLocal}. A same-thread acquire or release is that one lookup and a few plain loads
 *       and stores — no lock, no CAS, no allocation, no volatile access, no megamorphic call. (A single
 *       {@code ThreadLocal} for all classes with a per-class index into an array was measurably slower: the index
 *       costs three dependent loads and two branches, the per-class lookup's hash one load.)</li>
 *   <li>A {@link Depot} shared by the class's threads takes a thread's surplus in crates when its stack is full and
 *       refills a thread whose stack ran dry, so objects released on another thread flow back to the thread that
 *       acquires. Lock-free, bounded by {@code maxShared}.</li>
 *   <li>Virtual threads never get a stack (a million short-lived threads would make a million pools); they share a
 *       small striped {@link VirtualShelf}.</li>
 * </ul>
 *
 * <h2>Forgetting, like Go's victim cache</h2>
 * Objects that sit idle across two garbage collections are dropped. After each collection the {@link GcWatch}
 * reports, this shelf clears ({@code onGc}) every thread shelf's reference to its slot array and demotes the
 * arrays it holds ({@code fresh}) to {@code victims}, dropping the previous victims. An owner notices the cleared
 * reference at its next access and checks in: it gets its array back, minus the objects below its low-water mark
 * (untouched for the whole cycle), and the array is fresh again. An array whose owner did not come back within a
 * cycle is dropped with everything on it. The depot and the virtual-thread slots drop what was put there before the
 * previous collection. Under memory pressure every idle object is dropped at once. Nothing here writes to a thread's
 * stack, so trimming never races an owner: an owner mid-operation holds its array in a local and finishes on it.
 *
 * <h2>No class-loader leaks</h2>
 * Nothing reachable from a thread, from the bootstrap-loaded registry or from a GC root holds a pooled object
 * strongly: threads see their slot arrays through weak references, and the arrays, the depot and this object are
 * reachable only from the pooled class (its static field, its {@code ClassValue} entry). When an application's
 * class loader is discarded, its pools go with it.
 */
public final class ClassShelf {

    /** The calling platform thread's shelf of this class; never touched on a virtual thread. */
    private final ThreadLocal<ThreadShelf> local = new ThreadLocal<>();

    private final String className;
    private final int capacity;
    private final Depot depot;
    private final VirtualShelf virtual;

    /** Collections seen; stamps what goes into the depot and the virtual-thread slots. Read on slow paths only. */
    private volatile int epoch;

    // Everything below is guarded by this.

    /** Every live thread's shelf, for statistics, trimming and folding. */
    private final List<ThreadShelf> shelves = new ArrayList<>();
    /** Arrays of shelves that checked in since the last collection: the strong references to thread-held objects. */
    private Map<ThreadShelf, Object[]> fresh = new IdentityHashMap<>();
    /** Arrays of shelves that checked in during the cycle before; handed back at check-in, dropped at the next GC. */
    private Map<ThreadShelf, Object[]> victims = new IdentityHashMap<>();
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
    ClassShelf(Class<?> type, int capacity, int maxShared) {
        if (capacity < 1 || maxShared < 0) {
            throw new IllegalArgumentException("capacity " + capacity + ", maxShared " + maxShared);
        }
        this.className = type.getName();
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
    public Object acquire(int site) {
        if (VirtualThreads.EXIST && VirtualThreads.isVirtual(Thread.currentThread())) {
            return virtual.acquire(virtualHome(), site);
        }
        ThreadShelf s = local.get();
        if (s != null) {
            Object o = s.pop(site);
            if (o != null) {
                return o;
            }
        }
        return acquireSlow(s, site);
    }

    /**
     * {@link #acquire(int)} for a caller that is not a rewritten site (tests, hand-written pool users).
     *
     * @return an object to re-initialise, or {@code null} when the caller must allocate
     */
    public Object acquire() {
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
    public void release(Object o, int site) {
        if (VirtualThreads.EXIST && VirtualThreads.isVirtual(Thread.currentThread())) {
            virtual.release(o, virtualHome(), epoch, site);
            return;
        }
        ThreadShelf s = local.get();
        if (s == null || !s.push(o, site)) {
            releaseSlow(s, o, site);
        }
    }

    /**
     * {@link #release(Object, int)} of an object not acquired at a rewritten site.
     *
     * @param o the object to keep for reuse
     */
    public void release(Object o) {
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
    public void refuse(Object o, int site) {
        doubleReleases.increment(Math.max(0, site), 0);
        if (Strict.isOn() && o instanceof Recyclable r) {
            throw Strict.doubleRelease(r);
        }
        DoubleRelease.report(o);
    }

    // ---- slow paths: the calling (owner) thread only, except where they take the lock ---------------------------

    private Object acquireSlow(ThreadShelf s, int site) {
        site = valid(site);
        Object[] slots;
        while ((slots = (s = checkIn(s)).get()) == null) {
            // cleared by a collection between check-in and here: check in again
        }
        long[] c = s.countsFor(site, className);
        c[site * SiteCounts.STRIDE + SiteCounts.ACQUIRED]++;
        if (s.size == 0) {
            int n = depot.refill(slots, s.home);
            if (n == 0) {
                c[site * SiteCounts.STRIDE + SiteCounts.ALLOCATED]++;
                return null;
            }
            s.size = n;
        }
        return s.take(slots);
    }

    private void releaseSlow(ThreadShelf s, Object o, int site) {
        site = valid(site);
        Object[] slots;
        while ((slots = (s = checkIn(s)).get()) == null) {
            // cleared by a collection between check-in and here: check in again
        }
        long[] c = s.countsFor(site, className);
        c[site * SiteCounts.STRIDE + SiteCounts.RELEASED]++;
        int n = s.size;
        if (n < slots.length) {
            slots[n] = o;
            s.size = n + 1;
        } else if (depot.spill(slots, s.home, epoch)) {
            s.dropBottom(slots, depot.crateSize());
            slots[s.size++] = o;
        } else {
            c[site * SiteCounts.STRIDE + SiteCounts.DROPPED]++;
        }
    }

    /** A site number the counters can take: a bad one (from hand-written code) counts as unattributed. */
    static int valid(int site) {
        return site >= 0 && site < Sites.MAX ? site : Sites.UNATTRIBUTED;
    }

    /**
     * Makes this thread's shelf usable: creates it on first use, or, after a collection cleared its reference, hands
     * its array back in a new shelf (trimmed of what sat unused for a cycle), or a new array if the old one was
     * dropped. The returned shelf's array is fresh, so it stays strongly held until the next collection.
     */
    private ThreadShelf checkIn(ThreadShelf s) {
        if (s != null && s.get() != null) {
            return s;
        }
        ThreadShelf next;
        synchronized (this) {
            if (s == null) {
                if (shelves.size() >= foldAt) {
                    foldEndedThreads();
                    foldAt = Math.max(16, 2 * shelves.size());
                }
                next = new ThreadShelf(new Object[capacity], Thread.currentThread(),
                        SiteCounts.forSites(Sites.count(className)));
            } else {
                Object[] kept = victims.remove(s);
                if (kept == null) {
                    kept = fresh.remove(s); // only if cleared under pressure
                }
                next = kept != null ? new ThreadShelf(s, kept, true) : new ThreadShelf(s, new Object[capacity], false);
                shelves.remove(s);
            }
            shelves.add(next);
            fresh.put(next, next.get());
        }
        local.set(next);
        return next;
    }

    private static int virtualHome() {
        return ThreadShelf.mix(Thread.currentThread().getId());
    }

    // ---- called by other threads --------------------------------------------------------------------------------

    /**
     * A garbage collection finished: clear every thread shelf's reference so that owners check in again, demote
     * this cycle's arrays to victims and drop the previous victims, and drop shared objects that sat idle across two
     * collections. Under memory pressure, drop every idle object now. Called by {@link ShelfRegistry} on the GC
     * watch's thread.
     *
     * @param pressure whether the heap was still nearly full after the collection
     */
    synchronized void onGc(boolean pressure) {
        int now = epoch + 1;
        epoch = now;
        // Clearing another thread's reference is safe: an owner mid-operation holds its array in a local and
        // finishes on it; at its next access it sees the cleared reference and checks in.
        for (ThreadShelf s : shelves) {
            s.clear();
        }
        if (pressure) {
            victims = new IdentityHashMap<>();
            fresh = new IdentityHashMap<>();
        } else {
            victims = fresh;
            fresh = new IdentityHashMap<>();
        }
        int oldestKept = pressure ? Integer.MAX_VALUE : now - 1;
        foldedEvicted += depot.evictOlderThan(oldestKept) + virtual.evictOlderThan(oldestKept);
        foldEndedThreads();
        Observability.collected(this, pressure); // JFR eviction event; never throws
    }

    /**
     * Adds up every thread's counters, per site and for the class. Exact once the threads that use this pool are
     * quiet; a few operations stale under traffic.
     *
     * @return this pool's counters now
     */
    public synchronized ShelfStats.PoolStats snapshot() {
        foldEndedThreads();
        long[] sum = SiteCounts.addInto(SiteCounts.forSites(1), foldedCounts);
        long evicted = foldedEvicted;
        long idle = depot.idle() + virtual.idle();
        for (ThreadShelf s : shelves) {
            int size = s.size;
            sum = SiteCounts.addInto(sum, s.counts);
            evicted += s.evicted;
            if (held(s)) {
                idle += size;
            } else {
                evicted += size; // the array was dropped; the owner will count them when it comes back
            }
        }
        String[] names = Sites.names(className);
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

    /** @return whether {@code s}'s objects are still held (by its reference, or as fresh or victim). Lock held. */
    private boolean held(ThreadShelf s) {
        return s.get() != null || victims.containsKey(s) || fresh.containsKey(s);
    }

    /** Drops the shelves of ended threads; their idle objects count as evicted. Caller holds the lock. */
    private void foldEndedThreads() {
        for (Iterator<ThreadShelf> it = shelves.iterator(); it.hasNext(); ) {
            ThreadShelf s = it.next();
            if (s.ownerGone()) {
                it.remove();
                fresh.remove(s);
                victims.remove(s);
                s.clear();
                foldedCounts = SiteCounts.addInto(foldedCounts, s.counts);
                foldedEvicted += s.evicted + s.size;
            }
        }
    }

    /** @return the pooled class's binary name */
    public String className() {
        return className;
    }

    /** @return how many idle objects one thread may keep */
    public int capacity() {
        return capacity;
    }

    /** @return how many idle objects the shared depot may keep */
    public int sharedCapacity() {
        return depot.capacity();
    }

    /** @return the number of garbage collections this pool has seen (for tests) */
    int epoch() {
        return epoch;
    }

    /** @return how many thread shelves this pool has now (for tests) */
    synchronized int threadShelves() {
        return shelves.size();
    }
}
