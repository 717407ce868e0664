package dev.shelf.it;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Everything measured for one app in one mode (with or without the agent), over one or more runs: sums of the
 * differences between each run's before and after snapshots, and the runs' latencies merged. Nothing from a warm-up
 * or from app start-up enters these figures.
 */
public final class ModeSummary {

    private final App app;
    private final boolean agent;
    private final List<Run> runs;
    private final Histogram latency = new Histogram(3);

    /**
     * Summarises runs.
     *
     * @param app   which app
     * @param agent whether the runs had the agent
     * @param runs  at least one run, all of {@code app} in this mode
     */
    public ModeSummary(App app, boolean agent, List<Run> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        this.app = app;
        this.agent = agent;
        this.runs = List.copyOf(runs);
        this.runs.forEach(r -> latency.add(r.load().latency()));
    }

    /** @return the app */
    public App app() {
        return app;
    }

    /** @return whether these runs had the agent */
    public boolean agent() {
        return agent;
    }

    /** @return {@code with agent} or {@code without agent} */
    public String label() {
        return agent ? "with agent" : "without agent";
    }

    /** @return the runs */
    public List<Run> runs() {
        return runs;
    }

    private long sum(ToLongFunction<Run> f) {
        return runs.stream().mapToLong(f).sum();
    }

    private long delta(ToLongFunction<ServerStats> f) {
        return sum(r -> f.applyAsLong(r.after()) - f.applyAsLong(r.before()));
    }

    /** @return measured requests sent */
    public long requests() {
        return sum(r -> r.load().requests());
    }

    /** @return correct answers */
    public long ok() {
        return sum(r -> r.load().ok());
    }

    /** @return contaminated answers */
    public long contaminated() {
        return sum(r -> r.load().contaminated());
    }

    /** @return failed requests */
    public long errors() {
        return sum(r -> r.load().errors());
    }

    /** @return requests the app counted between the snapshots */
    public long handled() {
        return delta(ServerStats::requests);
    }

    /** @return items (tokens, lines) the app counted between the snapshots */
    public long items() {
        return delta(ServerStats::items);
    }

    /** @return completed requests per second of wall-clock time, over all runs */
    public double throughput() {
        long nanos = sum(r -> r.load().elapsedNanos());
        return nanos == 0 ? 0 : (ok() + contaminated()) * 1e9 / nanos;
    }

    /** @return each run's completed requests per second of wall-clock time, in run order */
    public List<Double> runThroughputs() {
        return runs.stream().map(r -> r.load().elapsedNanos() == 0 ? 0.0
                : (r.load().ok() + r.load().contaminated()) * 1e9 / r.load().elapsedNanos()).toList();
    }

    /**
     * The median of the runs' throughputs. On a shared machine one run that lost the cores to something else drags
     * {@link #throughput()} (all requests over all time) down; the median does not follow it.
     *
     * @return the median, the mean of the middle two for an even number of runs
     */
    public double medianRunThroughput() {
        return median(runThroughputs());
    }

    /**
     * CPU time the app's process used per handled request over the measured loads, all its threads (the JIT and
     * GC threads included). Unlike throughput this is the app's own cost: it does not depend on how much of the
     * machine the load generator took.
     *
     * @return microseconds, or NaN if the app did not report CPU time
     */
    public double cpuMicrosPerRequest() {
        boolean unknown = runs.stream().anyMatch(r -> r.before().cpuTimeNanos() < 0);
        return per(delta(ServerStats::cpuTimeNanos), handled(), unknown) / 1e3;
    }

    /** @return the median over runs of each run's CPU time per request, microseconds, or NaN if unknown */
    public double medianRunCpuMicrosPerRequest() {
        if (runs.stream().anyMatch(r -> r.before().cpuTimeNanos() < 0)) {
            return Double.NaN;
        }
        return median(runs.stream().map(r -> per(r.after().cpuTimeNanos() - r.before().cpuTimeNanos(),
                r.after().requests() - r.before().requests(), false) / 1e3).toList());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** @return the merged latency histogram, nanoseconds */
    public Histogram latency() {
        return latency;
    }

    /**
     * @param percentile e.g. 99.9
     * @return the latency there, milliseconds
     */
    public double latencyMillis(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1e6;
    }

    /** @return heap bytes the whole app process allocated per handled request, or NaN if unknown */
    public double bytesPerRequest() {
        boolean unknown = runs.stream().anyMatch(r -> r.before().allocatedBytes() < 0);
        return per(delta(ServerStats::allocatedBytes), handled(), unknown);
    }

    /** @return heap bytes allocated inside the app's request handling, per handled request */
    public double handlerBytesPerRequest() {
        return per(delta(ServerStats::handlerAllocatedBytes), handled(), false);
    }

    /** @return heap bytes the whole process allocated per item (token or line) */
    public double bytesPerItem() {
        return per(delta(ServerStats::allocatedBytes), items(), false);
    }

    private static double per(long bytes, long count, boolean unknown) {
        return unknown || count == 0 ? Double.NaN : (double) bytes / count;
    }

    /** @return collections (G1: pauses) during the measured loads */
    public long gcCount() {
        return delta(ServerStats::gcCount);
    }

    /** @return collection (G1: pause) time during the measured loads, milliseconds */
    public long gcTimeMillis() {
        return delta(ServerStats::gcTimeMillis);
    }

    /** @return time the app's JIT compilers spent during the measured loads, milliseconds, or -1 if unknown */
    public long jitCompileMillis() {
        return runs.stream().anyMatch(r -> r.before().jitCompileMillis() < 0) ? -1
                : delta(ServerStats::jitCompileMillis);
    }

    /** @return the fewest requests any run sent before its measured load (warm-up until the JIT settled) */
    public long minWarmupSent() {
        return runs.stream().mapToLong(Run::warmupSent).min().orElse(0);
    }

    /** @return the most requests any run sent before its measured load */
    public long maxWarmupSent() {
        return runs.stream().mapToLong(Run::warmupSent).max().orElse(0);
    }

    /** @return whether Shelf reported itself active in every run */
    public boolean active() {
        return runs.stream().allMatch(r -> r.after().active());
    }

    /** @return whether any run's container was OOM-killed */
    public boolean oomKilled() {
        return runs.stream().anyMatch(Run::oomKilled);
    }

    /** @return the highest control-group memory peak the runs reported, or -1 */
    public long memoryPeakBytes() {
        return runs.stream().mapToLong(r -> r.after().cgroupMemoryPeakBytes()).max().orElse(-1);
    }

    /** @return the control-group memory limit the app saw, or -1 */
    public long memoryLimitBytes() {
        return runs.get(0).after().cgroupMemoryLimitBytes();
    }

    /** @return the app's Java version */
    public String javaVersion() {
        return runs.get(0).after().javaVersion();
    }

    /** @return the app's heap limit in bytes */
    public long maxHeapBytes() {
        return runs.get(0).after().maxHeapBytes();
    }

    /** @return the app's collectors */
    public String collectors() {
        return runs.get(0).after().collectors();
    }

    /** @return the app's handler-scope description */
    public String handlerScope() {
        return runs.get(0).after().handlerAllocatedBytesScope();
    }

    /**
     * One pool's counters over the measured loads (warm-up excluded): steady state.
     *
     * @param className a pooled class
     * @return the differences; all zero if the class has no pool
     */
    public PoolDelta pool(String className) {
        long[] d = new long[5];
        for (Run r : runs) {
            ServerStats.Pool b = r.before().pool(className).orElse(null);
            ServerStats.Pool a = r.after().pool(className).orElse(null);
            if (a == null) {
                continue;
            }
            d[0] += a.acquired() - (b == null ? 0 : b.acquired());
            d[1] += a.reused() - (b == null ? 0 : b.reused());
            d[2] += a.allocated() - (b == null ? 0 : b.allocated());
            d[3] += a.released() - (b == null ? 0 : b.released());
            d[4] += a.dropped() - (b == null ? 0 : b.dropped());
        }
        return new PoolDelta(className, d[0], d[1], d[2], d[3], d[4]);
    }

    /** @return whether any run's app had any pool at all */
    public boolean anyPools() {
        return runs.stream().anyMatch(r -> !r.after().pools().isEmpty());
    }

    /**
     * A pool's counters over the measured loads.
     *
     * @param className the pooled class
     * @param acquired  pooled {@code new}s served
     * @param reused    of those, from the pool
     * @param allocated of those, by allocation
     * @param released  releases
     * @param dropped   releases into a full pool
     */
    public record PoolDelta(String className, long acquired, long reused, long allocated, long released,
                            long dropped) {

        /** @return reused / acquired, or NaN when nothing was acquired */
        public double hitRatio() {
            return acquired == 0 ? Double.NaN : (double) reused / acquired;
        }

        /** @return the class's simple name */
        public String simpleName() {
            return className.substring(className.lastIndexOf('.') + 1);
        }
    }
}
