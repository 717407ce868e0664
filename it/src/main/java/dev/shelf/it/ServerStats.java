package dev.shelf.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sample app's {@code GET /stats} document, typed.
 *
 * @param active              whether the Shelf agent is running in the app
 * @param acquired            pooled {@code new}s served, over all pools
 * @param reused              of those, served from a pool
 * @param allocated           of those, served by a real allocation
 * @param released            {@code Shelf.release} calls that reached a pool
 * @param dropped             releases into a full pool
 * @param hitRatio            reused / acquired over all pools
 * @param pools               per-class counters
 * @param parseRequests       {@code POST /parse} requests the app handled so far
 * @param allocatedBytes      heap bytes the app allocated so far, or -1 if unknown
 * @param allocatedBytesScope what {@code allocatedBytes} covers ({@code all-threads}, {@code live-threads})
 * @param gcCount             collections so far
 * @param gcTimeMillis        collection time so far
 */
public record ServerStats(boolean active, long acquired, long reused, long allocated, long released, long dropped,
                          double hitRatio, List<Pool> pools, long parseRequests, long allocatedBytes,
                          String allocatedBytesScope, long gcCount, long gcTimeMillis) {

    /** The class the sample app pools. */
    public static final String PARSE_REQUEST = "dev.shelf.sample.http.ParseRequest";

    /**
     * One pool's counters.
     *
     * @param className the pooled class
     * @param capacity  idle objects one thread may keep
     * @param acquired  pooled {@code new}s served
     * @param reused    of those, from the pool
     * @param allocated of those, by allocation
     * @param released  releases into this pool
     * @param dropped   releases into a full pool
     * @param idle      objects idle in the pool now
     * @param hitRatio  reused / acquired
     */
    public record Pool(String className, long capacity, long acquired, long reused, long allocated, long released,
                       long dropped, long idle, double hitRatio) {
    }

    /**
     * Finds one class's pool.
     *
     * @param className the pooled class's binary name
     * @return its counters, or empty if the app has no such pool
     */
    public Optional<Pool> pool(String className) {
        return pools.stream().filter(p -> p.className().equals(className)).findFirst();
    }

    /**
     * Parses a {@code /stats} response body.
     *
     * @param json the body
     * @return the typed stats
     * @throws IOException if the body is not the expected document
     */
    @SuppressWarnings("unchecked")
    public static ServerStats parse(byte[] json) throws IOException {
        Map<String, Object> m = Json.parseObject(json);
        try {
            List<Pool> pools = new ArrayList<>();
            for (Object o : (List<Object>) m.get("pools")) {
                Map<String, Object> p = (Map<String, Object>) o;
                pools.add(new Pool((String) p.get("className"), num(p, "capacity"), num(p, "acquired"),
                        num(p, "reused"), num(p, "allocated"), num(p, "released"), num(p, "dropped"),
                        num(p, "idle"), dbl(p, "hitRatio")));
            }
            return new ServerStats((Boolean) m.get("active"), num(m, "acquired"), num(m, "reused"),
                    num(m, "allocated"), num(m, "released"), num(m, "dropped"), dbl(m, "hitRatio"),
                    List.copyOf(pools), num(m, "parseRequests"), num(m, "allocatedBytes"),
                    (String) m.get("allocatedBytesScope"), num(m, "gcCount"), num(m, "gcTimeMillis"));
        } catch (ClassCastException | NullPointerException e) {
            throw new IOException("unexpected /stats document: " + m, e);
        }
    }

    private static long num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    private static double dbl(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }
}
