package dev.shelf.sample;

import java.util.concurrent.atomic.LongAdder;

/**
 * What an app has handled so far, and what handling it allocated: the app-side half of every per-request figure.
 *
 * <p>A load test reads these (through the app's stats endpoint) before and after its load and divides the
 * differences, so that warm-up traffic and start-up allocation never enter a per-request figure.
 *
 * <p>{@code handlerAllocatedBytes} is the app's own scope: each app reads
 * {@link ProcessMetrics#currentThreadAllocatedBytes()} when it starts handling a request and again when it has
 * answered, on the thread doing the work, and adds the difference here. What the scope covers is the app's to say
 * ({@link #handlerScope()}); it is always narrower than the process-wide {@link ProcessMetrics#allocatedBytes()}.
 *
 * <p>Thread-safe; counting costs no allocation once the adders have their cells.
 */
public final class RequestCounters {

    private final String handlerScope;
    private final LongAdder requests = new LongAdder();
    private final LongAdder items = new LongAdder();
    private final LongAdder handlerBytes = new LongAdder();

    /**
     * Creates the counters.
     *
     * @param handlerScope says, for reports, what {@link #handlerAllocatedBytes()} covers
     */
    public RequestCounters(String handlerScope) {
        this.handlerScope = handlerScope;
    }

    /**
     * Counts one handled request.
     *
     * @param itemCount      the units of work it carried (1 for a parse request, its records for a batch)
     * @param allocatedBytes what handling it allocated on the handling thread, or a negative value if unknown
     */
    public void handled(long itemCount, long allocatedBytes) {
        requests.increment();
        items.add(itemCount);
        if (allocatedBytes > 0) {
            handlerBytes.add(allocatedBytes);
        }
    }

    /** @return requests handled so far */
    public long requests() {
        return requests.sum();
    }

    /** @return units of work handled so far (records, for the ingest app) */
    public long items() {
        return items.sum();
    }

    /** @return bytes allocated inside the app's handling scope so far, summed over requests */
    public long handlerAllocatedBytes() {
        return handlerBytes.sum();
    }

    /** @return what {@link #handlerAllocatedBytes()} covers, in words */
    public String handlerScope() {
        return handlerScope;
    }

    /**
     * Reads all counters at once (each is exact once the requests it counts are done).
     *
     * @return the values now
     */
    public Snapshot snapshot() {
        return new Snapshot(requests(), items(), handlerAllocatedBytes(), handlerScope);
    }

    /**
     * The counters' values at one moment.
     *
     * @param requests              requests handled
     * @param items                 units of work in them
     * @param handlerAllocatedBytes bytes allocated inside the handling scope
     * @param handlerScope          what that scope covers
     */
    public record Snapshot(long requests, long items, long handlerAllocatedBytes, String handlerScope) {
    }
}
