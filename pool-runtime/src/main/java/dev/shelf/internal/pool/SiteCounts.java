package dev.shelf.internal.pool;

import dev.shelf.internal.Sites;

import java.util.concurrent.atomic.LongAdder;

/**
 * Per-site counters. A platform thread keeps its own in a plain {@code long[]} ({@link ThreadShelf#counts}), indexed
 * {@code site * STRIDE + kind}: only the owner writes it, so counting a site costs one increment of memory the thread
 * already has in its cache, and threads never contend. Virtual threads and the rare double releases share a
 * {@link Shared} set of adders instead.
 *
 * <p>Per site are counted: acquires (every rewritten {@code new} served), misses among them (allocations), releases
 * attributed to the site that acquired the object (wherever and on whichever thread it is released), and releases
 * dropped because the pool was full. Hits follow: {@code reused = acquired - allocated}. Evictions are not counted
 * per site: an idle object is evicted long after its release, from a stack or crate that mixes sites, and keeping a
 * site per idle slot would cost the release path a store for a number nobody needs per site.
 */
final class SiteCounts {

    /** Counters per site in a thread's array. A power of two, so that the index is a shift. */
    static final int STRIDE = 4;
    /** Acquires at the site (hits and misses). */
    static final int ACQUIRED = 0;
    /** Releases of objects the site acquired; dropped ones included. */
    static final int RELEASED = 1;
    /** Acquires at the site that had to allocate. */
    static final int ALLOCATED = 2;
    /** Releases of the site's objects that were dropped because the thread's stack and the depot were full. */
    static final int DROPPED = 3;

    private SiteCounts() {
    }

    /**
     * A counter array with room for {@code sites} sites.
     *
     * @param sites how many site numbers to make room for
     * @return a zeroed array
     */
    static long[] forSites(int sites) {
        return new long[Math.max(1, sites) * STRIDE];
    }

    /**
     * {@code counts}, or a copy large enough to count {@code site}.
     *
     * @param counts    the current array
     * @param site      a site number
     * @param className the pooled class, whose registered site count sizes the copy
     * @return an array in which {@code site} has room
     */
    static long[] withRoom(long[] counts, int site, String className) {
        int needed = (site + 1) * STRIDE;
        if (needed <= counts.length) {
            return counts;
        }
        int sites = Math.max(site + 1, Sites.count(className));
        return java.util.Arrays.copyOf(counts, Math.max(needed, sites * STRIDE));
    }

    /**
     * Adds {@code from} into {@code into}, growing it as needed.
     *
     * @return the sum array ({@code into} or a larger copy)
     */
    static long[] addInto(long[] into, long[] from) {
        long[] out = into.length >= from.length ? into : java.util.Arrays.copyOf(into, from.length);
        for (int i = 0; i < from.length; i++) {
            out[i] += from[i];
        }
        return out;
    }

    /** Site counters shared by threads: a {@link LongAdder} per site and kind, created on first use. */
    static final class Shared {
        private final int stride;
        private volatile LongAdder[] adders = new LongAdder[0];

        /** @param stride counters per site */
        Shared(int stride) {
            this.stride = stride;
        }

        /**
         * Counts one event.
         *
         * @param site a site number, at least 0
         * @param kind which counter of the site
         */
        void increment(int site, int kind) {
            int i = site * stride + kind;
            LongAdder[] a = adders;
            LongAdder adder;
            if (i < a.length && (adder = a[i]) != null) {
                adder.increment();
            } else {
                create(i).increment();
            }
        }

        private synchronized LongAdder create(int i) {
            LongAdder[] a = adders;
            if (i >= a.length) {
                a = java.util.Arrays.copyOf(a, Math.max(i + 1, 2 * a.length));
            }
            if (a[i] == null) {
                a[i] = new LongAdder();
            }
            adders = a;
            return a[i];
        }

        /**
         * Returns the counter's value now, 0 if it was never incremented.
         *
         * @param site a site number
         * @param kind which counter
         */
        long get(int site, int kind) {
            int i = site * stride + kind;
            LongAdder[] a = adders;
            return i < a.length && a[i] != null ? a[i].sum() : 0;
        }

        /** Returns how many sites have a counter slot (some may still be 0). */
        int sites() {
            return (adders.length + stride - 1) / stride;
        }
    }
}
