package dev.shelf.it;

/**
 * How much load one measured run sends: the same for the run without the agent and the run with it.
 *
 * @param requests    measured requests (batches for the ingest app)
 * @param warmup      requests sent first and left out of every figure, so that compiled code is compared rather
 *                    than the interpreter, and the pools start the measured part warm
 * @param concurrency concurrent clients, each with its own connection
 * @param maxItems    each request carries a uniformly random number of items in {@code 0..maxItems} (tokens) or
 *                    {@code 1..maxItems} (lines)
 */
public record Workload(int requests, int warmup, int concurrency, int maxItems) {

    /** Validates. */
    public Workload {
        if (requests <= 0 || warmup < 0 || concurrency <= 0 || maxItems < 1) {
            throw new IllegalArgumentException("bad workload: " + requests + " requests, " + warmup + " warm-up, "
                    + concurrency + " clients, " + maxItems + " items");
        }
    }

    /**
     * Creates a workload.
     *
     * @param requests    measured requests
     * @param warmup      warm-up requests
     * @param concurrency clients
     * @param maxItems    most items per request
     * @return the workload
     */
    public static Workload of(int requests, int warmup, int concurrency, int maxItems) {
        return new Workload(requests, warmup, concurrency, maxItems);
    }

    /**
     * The same workload with another measured request count.
     *
     * @param n measured requests
     * @return a copy
     */
    public Workload withRequests(int n) {
        return new Workload(n, warmup, concurrency, maxItems);
    }

    /**
     * The same workload with another warm-up.
     *
     * @param n warm-up requests
     * @return a copy
     */
    public Workload withWarmup(int n) {
        return new Workload(requests, n, concurrency, maxItems);
    }

    /**
     * The same workload with another client count.
     *
     * @param n clients
     * @return a copy
     */
    public Workload withConcurrency(int n) {
        return new Workload(requests, warmup, n, maxItems);
    }
}
