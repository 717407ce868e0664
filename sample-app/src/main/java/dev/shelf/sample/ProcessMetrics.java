package dev.shelf.sample.http;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The process's own allocation and GC figures, as {@code /stats} reports them.
 *
 * <p>Pool counters say how often Shelf reused an object; these say whether that mattered. Comparing bytes allocated
 * per request and GC activity with and without the agent is the point of the demo, and measuring them inside the
 * server (rather than in the load generator) keeps the client's own garbage out of the numbers.
 */
public final class ProcessMetrics {

    private ProcessMetrics() {
    }

    /**
     * What {@link #allocatedBytes()} covers on this JVM.
     *
     * @return {@code "all-threads"} (every thread that ever ran, terminated ones included: HotSpot's
     *         {@code getTotalThreadAllocatedBytes}), {@code "live-threads"} (the sum over threads alive now, for a
     *         JVM that lacks the total; for this server's fixed thread pools that is nearly everything), or
     *         {@code "unsupported"}
     */
    public static String allocatedBytesScope() {
        com.sun.management.ThreadMXBean threads = sunThreads();
        if (threads == null) {
            return "unsupported";
        }
        return totalAllocated(threads) >= 0 ? "all-threads" : "live-threads";
    }

    /**
     * Bytes allocated on the Java heap by this process so far; see {@link #allocatedBytesScope()}.
     *
     * @return the byte count, or -1 if the JVM cannot tell
     */
    public static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = sunThreads();
        if (threads == null) {
            return -1;
        }
        long total = totalAllocated(threads);
        if (total >= 0) {
            return total;
        }
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            if (bytes > 0) { // -1 for threads that ended between the two calls
                sum += bytes;
            }
        }
        return sum;
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
     * Collections run so far, summed over all collectors (young and old alike).
     *
     * @return the number of collections
     */
    public static long gcCount() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    /**
     * Accumulated collection time, summed over all collectors. For concurrent collectors this is the time their
     * beans report, which is not all pause time; compare it between runs of the same JVM configuration only.
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
}
