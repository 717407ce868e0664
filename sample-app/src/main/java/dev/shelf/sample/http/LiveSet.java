package dev.shelf.sample.http;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live data a real service holds — a session store — which {@code POST /parse} keeps updating ({@code --live-set
 * MIB}).
 *
 * <p>Why it exists: without it the sample service has almost no live data, so a young collection of dead request
 * buffers is nearly free and removing the buffers (which is what Shelf does) can save almost nothing. Production
 * services hold hundreds of MiB of live, changing data, and there every collection costs more: more cards and
 * remembered-set entries to scan, old-generation garbage that needs marking and mixed or full collections, and
 * humongous buffers competing with live regions. Benchmarks that leave that out measure the one setting in which
 * pooling cannot matter.
 *
 * <p>Shape: sessions in {@value #SEGMENTS} least-recently-used maps ({@link LinkedHashMap} in access order, each
 * behind its own lock, so that worker threads rarely wait for each other). The store is many small ordinary objects
 * with references between them: map entries chained in LRU order, each pointing at a {@link Long} key and a
 * {@link Session}, which points at its label (a {@code String} and its bytes) and a small state array.
 *
 * <p>Updates, at a steady rate per request ({@link #record}): {@value #INSERTS_PER_REQUEST} new sessions made from
 * the request are inserted, evicting as many least recently used ones — which are old by then, so the store turns
 * over like a session cache and its garbage accumulates in the old generation — and {@value #LOOKUPS_PER_REQUEST}
 * random recent sessions are looked up, which moves them to the LRU end (reference stores into old objects: dirty
 * cards) and updates their counters.
 *
 * <p>It must never change an answer: it reads the request (id, token count, the first bytes of the body) and writes
 * nothing back; the handler computes the answer from the request object alone.
 *
 * <p>Size: the number of sessions is computed from the object layout of this JVM (compressed references or not,
 * compact object headers or not) so that the store is about {@code --live-set} MiB of heap; {@code LiveSetTest}
 * checks the estimate against the heap actually used. The figure is the store only, not what the requests allocate.
 *
 * <p>Thread-safe.
 */
final class LiveSet {

    /** Sessions inserted per recorded request (and as many evicted once the store is full). */
    static final int INSERTS_PER_REQUEST = 2;

    /** Random recent sessions looked up (touched) per recorded request. */
    static final int LOOKUPS_PER_REQUEST = 2;

    /** The state array each session carries: the first bytes of the request it was made from. */
    static final int STATE_BYTES = 64;

    /** How many independently locked maps the sessions are spread over; a power of two. */
    static final int SEGMENTS = 16;

    /** The store of a server started without {@code --live-set}: records nothing. */
    static final LiveSet NONE = new LiveSet(0);

    private static final int MIB = 1024 * 1024;

    /** One session: what a service might keep about a client between requests. */
    static final class Session {
        final long key;
        final long requestId;
        final int tokens;
        /** {@code "s"} and the key in base 36: at most 8 characters for any key below 36^7. */
        final String label;
        final byte[] state;
        /** Updated on lookup, under the segment's lock. */
        long lastSeen;
        /** Updated on lookup, under the segment's lock. */
        int hits;

        Session(long key, long requestId, int tokens, byte[] state) {
            this.key = key;
            this.requestId = requestId;
            this.tokens = tokens;
            this.label = "s" + Long.toString(key, 36);
            this.state = state;
        }
    }

    /** One LRU map: evicts its least recently used session beyond its capacity. */
    private static final class Segment extends LinkedHashMap<Long, Session> {

        private static final long serialVersionUID = 1L;

        private final int capacity;

        Segment(int capacity) {
            // Sized so that the table never grows (it holds capacity + 1 entries for a moment before eviction): a
            // resize would briefly double the table and disturb the size estimate.
            super(tableCapacity(capacity), 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Session> eldest) {
            return size() > capacity;
        }
    }

    private final Segment[] segments;
    private final int sessions;
    private final long estimatedBytes;
    /** The next key to insert; also the number of sessions inserted so far. */
    private final AtomicLong nextKey = new AtomicLong();

    private LiveSet(int sessions) {
        this.sessions = sessions;
        this.segments = new Segment[sessions == 0 ? 0 : SEGMENTS];
        int perSegment = (sessions + SEGMENTS - 1) / SEGMENTS;
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment(perSegment);
        }
        this.estimatedBytes = sessions == 0 ? 0 : Layout.current().storeBytes(sessions);
    }

    /**
     * Makes a store of about {@code mib} MiB and fills it, single-threaded: the server calls this before it accepts
     * requests, so that the load meets a full store.
     *
     * @param mib the store's size in MiB; 0 for {@link #NONE}
     * @return the filled store
     * @throws OutOfMemoryError if it does not fit in the heap
     */
    static LiveSet filled(int mib) {
        if (mib < 0) {
            throw new IllegalArgumentException("mib must not be negative, was " + mib);
        }
        if (mib == 0) {
            return NONE;
        }
        LiveSet store = new LiveSet(Layout.current().sessionsFor((long) mib * MIB));
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < store.sessions; i++) {
            byte[] state = new byte[STATE_BYTES];
            random.nextBytes(state);
            long key = store.nextKey.getAndIncrement();
            store.put(new Session(key, -1, 0, state));
        }
        return store;
    }

    /**
     * Records one parsed request: inserts {@value #INSERTS_PER_REQUEST} sessions made from it and looks up
     * {@value #LOOKUPS_PER_REQUEST} random recent ones. Reads {@code req}, never writes it.
     *
     * @param req a parsed request, not yet released
     */
    void record(ParseRequest req) {
        if (sessions == 0) {
            return;
        }
        long first = nextKey.getAndAdd(INSERTS_PER_REQUEST);
        byte[] body = req.bytes();
        for (int k = 0; k < INSERTS_PER_REQUEST; k++) {
            byte[] state = new byte[STATE_BYTES];
            System.arraycopy(body, 0, state, 0, Math.min(STATE_BYTES, req.length));
            put(new Session(first + k, req.id, req.tokens, state));
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long now = System.nanoTime();
        for (int k = 0; k < LOOKUPS_PER_REQUEST; k++) {
            // One of the last `sessions` keys inserted: present unless an LRU eviction got to it first.
            long key = first - 1 - random.nextLong(sessions);
            if (key >= 0) {
                touch(key, now);
            }
        }
    }

    private void put(Session s) {
        Segment segment = segments[(int) (s.key & (SEGMENTS - 1))];
        synchronized (segment) {
            segment.put(s.key, s);
        }
    }

    private void touch(long key, long now) {
        Segment segment = segments[(int) (key & (SEGMENTS - 1))];
        synchronized (segment) {
            Session s = segment.get(key); // access order: moves the entry to the LRU end
            if (s != null) {
                s.lastSeen = now;
                s.hits++;
            }
        }
    }

    /** @return how many sessions the store holds when full */
    int capacity() {
        return sessions;
    }

    /** @return the store's estimated heap footprint when full, in bytes */
    long estimatedBytes() {
        return estimatedBytes;
    }

    /** @return sessions inserted so far, including those of the initial fill */
    long inserted() {
        return nextKey.get();
    }

    /** @return sessions held now */
    int size() {
        int n = 0;
        for (Segment segment : segments) {
            synchronized (segment) {
                n += segment.size();
            }
        }
        return n;
    }

    /**
     * Whether a session is held, without counting as a use (it does not move the session in LRU order).
     *
     * @param key the session's key
     * @return whether it is in the store
     */
    boolean contains(long key) {
        if (sessions == 0) {
            return false;
        }
        Segment segment = segments[(int) (key & (SEGMENTS - 1))];
        synchronized (segment) {
            return segment.containsKey(key);
        }
    }

    /** @return a one-line description for the server's start-up log */
    String describe() {
        if (sessions == 0) {
            return "no live set";
        }
        return String.format("live set: %,d sessions, about %.0f MiB (%d bytes each with this JVM's object layout);"
                        + " each request inserts %d and looks up %d", sessions, estimatedBytes / (double) MIB,
                Layout.current().sessionBytes(), INSERTS_PER_REQUEST, LOOKUPS_PER_REQUEST);
    }

    /** {@code HashMap}'s initial capacity argument for a map that holds {@code entries + 1} without growing. */
    private static int tableCapacity(int entries) {
        return (int) ((entries + 1) / 0.75f) + 1;
    }

    /**
     * Object sizes on this JVM: HotSpot's layout, with the reference and header sizes it runs with. Compressed
     * references are on for heaps under 32 GiB with every collector except ZGC, which has none; compact object
     * headers (JDK 24 and later) are opt-in.
     *
     * @param ref    bytes per reference
     * @param header bytes per object header
     */
    record Layout(int ref, int header) {

        private static Layout current;

        static synchronized Layout current() {
            if (current == null) {
                HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                boolean compressedOops = flag(hotspot, "UseCompressedOops", true);
                boolean compactHeaders = flag(hotspot, "UseCompactObjectHeaders", false);
                current = new Layout(compressedOops ? 4 : 8, compactHeaders ? 8 : 12);
            }
            return current;
        }

        private static boolean flag(HotSpotDiagnosticMXBean hotspot, String name, boolean otherwise) {
            try {
                return hotspot == null ? otherwise : Boolean.parseBoolean(hotspot.getVMOption(name).getValue());
            } catch (IllegalArgumentException e) {
                return otherwise; // a JVM that does not know the flag
            }
        }

        private static long align(long bytes) {
            return (bytes + 7) & ~7L;
        }

        /** @return an array's header: the object header and the length, padded for the element size */
        private long arrayHeader(int elementBytes) {
            long h = header + 4;
            return (h + elementBytes - 1) / elementBytes * elementBytes;
        }

        /**
         * @return one session's bytes: its map entry ({@code LinkedHashMap.Entry}: hash, key, value, next, before,
         *         after), its {@code Long} key, the {@link Session}, its label ({@code String} and a byte array of at
         *         most 8 Latin-1 characters) and its state array
         */
        long sessionBytes() {
            long entry = align(header + 4 + 5L * ref);
            long key = align(header + 8);
            long session = align(header + 3 * 8 + 2 * 4 + 2L * ref);
            long label = align(header + 4 + 1 + 1 + ref) + align(arrayHeader(1) + 8);
            long state = align(arrayHeader(1) + STATE_BYTES);
            return entry + key + session + label + state;
        }

        /** @return the bytes of a store of {@code n} sessions: the sessions and the segments' hash tables */
        long storeBytes(int n) {
            return n * sessionBytes() + tableBytes(n);
        }

        /** @return the bytes of the segments' hash tables in a store of {@code n} sessions */
        private long tableBytes(int n) {
            int perSegment = (n + SEGMENTS - 1) / SEGMENTS;
            int table = Integer.highestOneBit(tableCapacity(perSegment) - 1) << 1; // HashMap.tableSizeFor
            return SEGMENTS * align(arrayHeader(ref) + (long) table * ref);
        }

        /** @return how many sessions make a store of at most, and about, {@code bytes} */
        int sessionsFor(long bytes) {
            int n = (int) Math.min(Integer.MAX_VALUE / 2, bytes / sessionBytes());
            // The hash tables take a few percent, in steps (their length is a power of two): a fixed point of
            // "what is left after the tables of n sessions", found in a few rounds.
            for (int i = 0; i < 8; i++) {
                int next = (int) Math.max(1, (bytes - tableBytes(n)) / sessionBytes());
                if (next == n) {
                    break;
                }
                n = next;
            }
            while (n > 1 && storeBytes(n) > bytes) {
                n--;
            }
            return n;
        }
    }
}
