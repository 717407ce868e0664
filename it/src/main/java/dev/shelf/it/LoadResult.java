package dev.shelf.it;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one load run observed.
 *
 * @param requests     requests the run was asked to make (batches, for the ingest app)
 * @param ok           responses that were exactly right
 * @param contaminated answers whose content did not match the request (wrong id, count, digest or totals) — the
 *                     symptom of a pooled object that was not properly re-initialised or was handed to two requests
 *                     at once
 * @param errors       requests that failed otherwise: I/O errors, timeouts, error statuses, unreadable responses,
 *                     or requests never sent because the run's deadline passed
 * @param items        items sent in the requests: tokens, or CSV lines
 * @param elapsedNanos wall-clock time from the first request to the last response
 * @param latency      per-request latency in nanoseconds, for completed exchanges
 * @param problems     descriptions of the first few contaminated or failed requests, for diagnosis
 */
public record LoadResult(int requests, long ok, long contaminated, long errors, long items, long elapsedNanos,
                         Histogram latency, List<String> problems) {

    /** @return completed requests per second of wall-clock time */
    public double throughput() {
        return elapsedNanos == 0 ? 0 : (ok + contaminated) * 1e9 / elapsedNanos;
    }

    /**
     * A latency percentile.
     *
     * @param percentile e.g. 99.0
     * @return the latency at that percentile, in milliseconds
     */
    public double latencyMillis(double percentile) {
        return latency.getValueAtPercentile(percentile) / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }

    /** @return a one-line summary for logs and assertion messages */
    public String summary() {
        return String.format("%d requests: %d ok, %d contaminated, %d errors in %.2f s (%.0f req/s, p50 %.2f ms,"
                        + " p99 %.2f ms, max %.2f ms)%s", requests, ok, contaminated, errors, elapsedNanos / 1e9,
                throughput(), latencyMillis(50), latencyMillis(99), latencyMillis(100),
                problems.isEmpty() ? "" : "; first problems: " + problems);
    }
}
