package dev.shelf.sample;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's own allocation and GC figures, as both sample apps report them.
 *
 * <p>Pool counters say how often Shelf reused an object; these say whether that mattered. Comparing bytes allocated
 * per request and GC activity with and without the agent is the point of the demo, and measuring them inside the
 * app (rather than in the load generator) keeps the client's own garbage out of the numbers.
 *
 * <p>Two scopes of allocation are offered, and the reports always say which one a figure is:
 * <ul>
 *   <li>{@link #allocatedBytes()}: every byte the process allocated, on every thread — the app's code, the
 *       libraries it calls, the JDK's HTTP server, JIT-compiler and management threads alike;</li>
 *   <li>{@link #currentThreadAllocatedBytes()}: the calling thread's running total, which an app reads before and
 *       after handling one request to charge that request exactly what its handling allocated on that thread.</li>
 * </ul>
 * Both come from HotSpot's per-thread allocation counters ({@code com.sun.management.ThreadMXBean}), which count
 * bytes of heap handed out (TLAB use included), not sampled estimates.
 */
public final class ProcessMetrics {

    private static final com.sun.management.ThreadMXBean THREADS = sunThreads();

    private ProcessMetrics() {
    }

    /**
     * What {@link #allocatedBytes()} covers on this JVM.
     *
     * @return {@code "all-threads"} (every thread that ever ran, terminated ones included: HotSpot's
     *         {@code getTotalThreadAllocatedBytes}), {@code "live-threads"} (the sum over threads alive now, for a
     *         JVM that lacks the total; for these servers' fixed thread pools that is nearly everything), or
     *         {@code "unsupported"}
     */
    public static String allocatedBytesScope() {
        if (THREADS == null) {
            return "unsupported";
        }
        return totalAllocated(THREADS) >= 0 ? "all-threads" : "live-threads";
    }

    /**
     * Bytes allocated on the Java heap by this process so far; see {@link #allocatedBytesScope()}.
     *
     * @return the byte count, or -1 if the JVM cannot tell
     */
    public static long allocatedBytes() {
        if (THREADS == null) {
            return -1;
        }
        long total = totalAllocated(THREADS);
        if (total >= 0) {
            return total;
        }
        long sum = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            if (bytes > 0) { // -1 for threads that ended between the two calls
                sum += bytes;
            }
        }
        return sum;
    }

    /**
     * CPU time this process has used so far, all threads (HotSpot's {@code OperatingSystemMXBean}).
     *
     * <p>Why the apps report it: on a small machine shared with the load generator, throughput and latency say as
     * much about who got the cores as about the app; CPU time per request is what handling a request cost the app
     * itself (its code, the JIT, the GC threads), and it is what pooling is meant to lower.
     *
     * @return nanoseconds, or -1 if the JVM cannot tell
     */
    public static long cpuTimeNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * Time the JIT compilers have spent so far ({@code CompilationMXBean}), summed over the compiler threads.
     *
     * <p>Why the apps report it: a run is only a fair comparison of compiled code once the JIT has settled, and
     * with the agent it settles later (the agent's start-up work makes its own methods hot too, and the JIT compiles
     * them as well). The load tests keep warming up until this stops growing much (see {@code Measurement} in
     * {@code it}).
     *
     * @return milliseconds, or -1 if the JVM cannot tell
     */
    public static long jitCompileMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /**
     * Bytes the calling thread has allocated so far. Reading it allocates nothing, so a before/after pair around a
     * piece of work measures exactly that work's allocation on this thread.
     *
     * @return the count, or -1 if the JVM cannot tell
     */
    public static long currentThreadAllocatedBytes() {
        return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * The process-wide total, which also counts threads that have ended (a summed snapshot of live threads would
     * forget them, and with them part of the garbage a request produced).
     *
     * @return the total, or -1 if this JVM does not implement it (the interface's default method throws)
     */
    private static long totalAllocated(com.sun.management.ThreadMXBean threads) {
        try {
            return threads.getTotalThreadAllocatedBytes();
        } catch (UnsupportedOperationException e) {
            return -1;
        }
    }

    /** @return the platform's thread bean with allocation accounting, or null if this JVM has none enabled */
    private static com.sun.management.ThreadMXBean sunThreads() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()
                && sun.isThreadAllocatedMemoryEnabled()) {
            return sun;
        }
        return null;
    }

    /**
     * Collections run so far, summed over all collector beans. With G1 (which the tests and the demo select) every
     * one of them is a stop-the-world pause: young and mixed collections, full collections, and on JDK 21 and later
     * also the Remark and Cleanup pauses of concurrent cycles ({@code "G1 Concurrent GC"}).
     *
     * @return the number of collections (G1: pauses)
     */
    public static long gcCount() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    /**
     * Accumulated collection time, summed over all collector beans. With G1 this is the total of its
     * stop-the-world pauses (see {@link #gcCount()}); for fully concurrent collectors it would include concurrent
     * work, so compare it between runs of the same JVM configuration only.
     *
     * @return milliseconds
     */
    public static long gcTimeMillis() {
        long time = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            time += Math.max(0, gc.getCollectionTime());
        }
        return time;
    }

    /**
     * The collectors this JVM runs, e.g. {@code "G1 Young Generation, G1 Concurrent GC, G1 Old Generation"}.
     *
     * @return the collector bean names, comma-separated
     */
    public static String collectors() {
        StringBuilder sb = new StringBuilder();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(gc.getName());
        }
        return sb.toString();
    }

    /**
     * The memory limit of this process's control group: what a container's {@code --memory} sets. Read from cgroup
     * v2 ({@code /sys/fs/cgroup/memory.max}) or v1 ({@code /sys/fs/cgroup/memory/memory.limit_in_bytes}).
     *
     * @return the limit in bytes, or -1 if there is none or it cannot be read (not Linux, no cgroup file system)
     */
    public static long cgroupMemoryLimitBytes() {
        long v2 = readLong("/sys/fs/cgroup/memory.max");
        if (v2 > 0) {
            return v2;
        }
        long v1 = readLong("/sys/fs/cgroup/memory/memory.limit_in_bytes");
        // v1 reports "no limit" as a huge number (page-rounded Long.MAX_VALUE)
        return v1 > 0 && v1 < (1L << 50) ? v1 : -1;
    }

    /**
     * The most memory this process's control group has used (cgroup v2 {@code memory.peak}, v1
     * {@code memory.max_usage_in_bytes}); in a container, that is the container's peak, which its memory limit
     * caps. Outside a container it is whatever group the process runs in, so reports show it for containers only.
     *
     * @return bytes, or -1 if it cannot be read
     */
    public static long cgroupMemoryPeakBytes() {
        long v2 = readLong("/sys/fs/cgroup/memory.peak");
        return v2 > 0 ? v2 : readLong("/sys/fs/cgroup/memory/memory.max_usage_in_bytes");
    }

    private static long readLong(String file) {
        try {
            String s = Files.readString(Path.of(file)).trim();
            return s.equals("max") ? -1 : Long.parseLong(s);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
