package dev.shelf.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sample app's statistics document ({@code dev.shelf.sample.StatsDocument}): Shelf's pool counters, what the app
 * handled and allocated, and its GC figures. All counters are cumulative since the app started; compare two
 * snapshots to get figures for the load in between.
 *
 * @param app                        the app's name
 * @param active                     whether Shelf's agent was running in the app
 * @param acquired                   pooled {@code new}s served, over all pools
 * @param reused                     of those, from a pool
 * @param allocated                  of those, by allocation
 * @param released                   releases into pools
 * @param dropped                    releases into full pools
 * @param hitRatio                   reused / acquired over all pools
 * @param pools                      per-class counters
 * @param requests                   requests (HTTP: parse requests; ingest: batches) the app handled so far
 * @param items                      units of work in them (HTTP: = requests; ingest: CSV lines)
 * @param allocatedBytes             heap bytes the whole process allocated so far, or -1 if unknown
 * @param allocatedBytesScope        what {@code allocatedBytes} covers ({@code all-threads}, {@code live-threads})
 * @param handlerAllocatedBytes      heap bytes allocated inside the app's request handling so far
 * @param handlerAllocatedBytesScope what {@code handlerAllocatedBytes} covers, in words
 * @param gcCount                    collections so far (G1: stop-the-world pauses)
 * @param gcTimeMillis               collection time so far (G1: pause time)
 * @param collectors                 the collector beans' names
 * @param javaVersion                the app's {@code Runtime.version()}
 * @param availableProcessors        CPUs the app's JVM sees
 * @param maxHeapBytes               the app's maximum heap
 * @param cgroupMemoryLimitBytes     the memory limit of the app's control group (a container's limit), or -1
 * @param cgroupMemoryPeakBytes      that group's peak memory use so far, or -1
 * @param cpuTimeNanos               CPU time the app's process used so far, all threads, or -1 if unknown (also
 *                                   for an app built before the document had it)
 * @param jitCompileMillis           time the app's JIT compilers spent so far, or -1 if unknown
 */
public record ServerStats(String app, boolean active, long acquired, long reused, long allocated, long released,
                          long dropped, double hitRatio, List<Pool> pools, long requests, long items,
                          long allocatedBytes, String allocatedBytesScope, long handlerAllocatedBytes,
                          String handlerAllocatedBytesScope, long gcCount, long gcTimeMillis, String collectors,
                          String javaVersion, long availableProcessors, long maxHeapBytes,
                          long cgroupMemoryLimitBytes, long cgroupMemoryPeakBytes, long cpuTimeNanos,
                          long jitCompileMillis) {

    /** The HTTP app's pooled class. */
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
     * Parses a statistics document.
     *
     * @param json the document
     * @return the typed stats
     * @throws IOException if it is not the expected document
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
            return new ServerStats((String) m.get("app"), (Boolean) m.get("active"), num(m, "acquired"),
                    num(m, "reused"), num(m, "allocated"), num(m, "released"), num(m, "dropped"),
                    dbl(m, "hitRatio"), List.copyOf(pools), num(m, "requests"), num(m, "items"),
                    num(m, "allocatedBytes"), (String) m.get("allocatedBytesScope"), num(m, "handlerAllocatedBytes"),
                    (String) m.get("handlerAllocatedBytesScope"), num(m, "gcCount"), num(m, "gcTimeMillis"),
                    (String) m.get("collectors"), (String) m.get("javaVersion"), num(m, "availableProcessors"),
                    num(m, "maxHeapBytes"), num(m, "cgroupMemoryLimitBytes"), num(m, "cgroupMemoryPeakBytes"),
                    m.containsKey("cpuTimeNanos") ? num(m, "cpuTimeNanos") : -1,
                    m.containsKey("jitCompileMillis") ? num(m, "jitCompileMillis") : -1);
        } catch (ClassCastException | NullPointerException e) {
            throw new IOException("unexpected stats document: " + m, e);
        }
    }

    private static long num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    private static double dbl(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }
}
