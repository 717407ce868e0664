package dev.shelf.it;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Measures an app without and with the agent under the same load.
 *
 * <p>Each run starts a fresh app (same flags, same place), sends the warm-up, reads the app's statistics, sends the
 * measured load, reads them again, and stops the app. With more than one round the modes run in an A-B, B-A, ...
 * order: on a small shared machine whichever mode runs second tends to look faster (the load generator keeps
 * warming up), and alternating cancels that drift instead of crediting it to either mode. Both modes of a round get
 * the same seed, so the same sequence of unique payloads.
 *
 * <p>The warm-up lasts until the app's JIT has settled, not just for a fixed count: see {@link #run}.
 */
public final class Measurement {

    private Measurement() {
    }

    /** A warm-up round in which the JIT compiled for at most this share of the wall-clock time counts as settled. */
    static final double SETTLED_JIT_SHARE = 0.10;

    /** At most this many extra warm-up rounds, so that a JIT that never settles cannot stall a run. */
    static final int MAX_SETTLE_ROUNDS = 20;

    /**
     * Runs one app once.
     *
     * <p>After the workload's warm-up, more warm-up rounds of half that size follow until one of them kept the app's
     * JIT compilers busy for at most {@value #SETTLED_JIT_SHARE} of its wall-clock time (at most
     * {@value #MAX_SETTLE_ROUNDS} rounds). A fixed count is unfair to the agent on a small machine: the agent's
     * start-up work makes its own methods hot, the JIT compiles those too, and the app's hot methods reach the
     * optimising compiler seconds later than without the agent (ingest sample on two cores: {@code Digest.addPart}
     * compiled by C2 after 1.0–1.5 s without the agent, 3.1–6.2 s with it). Measuring then compares the agent's JIT
     * backlog, not pooling. The cost is real, but it is a start-up cost; the report measures the steady state and
     * the README gives the first seconds separately.
     *
     * @param launcher where and how to start it
     * @param app      which app
     * @param agent    with the agent or without
     * @param workload the load
     * @param seed     seeds the payloads
     * @param name     names the app's log
     * @return the run
     * @throws IOException          if the app cannot be started or queried
     * @throws InterruptedException if interrupted
     */
    public static Run run(Launcher launcher, App app, boolean agent, Workload workload, long seed, String name)
            throws IOException, InterruptedException {
        try (RunningApp running = launcher.start(app, agent, name)) {
            long sent = 0;
            ServerStats before;
            if (workload.warmup() > 0) {
                app.load(running.port(), workload.warmup(), workload, ~seed);
                sent += workload.warmup();
                before = counted(running, sent);
                int round = Math.max(1, workload.warmup() / 2);
                for (int i = 1; i <= MAX_SETTLE_ROUNDS && before.jitCompileMillis() >= 0; i++) {
                    long t0 = System.nanoTime();
                    app.load(running.port(), round, workload, ~seed - i);
                    sent += round;
                    ServerStats next = counted(running, sent);
                    double wallMillis = (System.nanoTime() - t0) / 1e6;
                    long jitMillis = next.jitCompileMillis() - before.jitCompileMillis();
                    before = next;
                    if (jitMillis <= SETTLED_JIT_SHARE * wallMillis) {
                        break;
                    }
                }
            } else {
                before = counted(running, sent);
            }
            LoadResult load = app.load(running.port(), workload.requests(), workload, seed);
            sent += workload.requests();
            ServerStats after = counted(running, sent);
            return new Run(app, agent, workload, load, before, after, running.oomKilled(), before.requests());
        }
    }

    /** @return e.g. {@code 412 µs/request}, the app's CPU time per request in one run, or {@code ?} */
    static String cpuPerRequest(Run run) {
        long cpu = run.after().cpuTimeNanos() - run.before().cpuTimeNanos();
        long handled = run.after().requests() - run.before().requests();
        return run.before().cpuTimeNanos() < 0 || handled <= 0 ? "?"
                : String.format(Locale.ROOT, "%.0f µs/%s", cpu / 1e3 / handled, run.app().unit());
    }

    /**
     * The app's statistics once it has counted {@code sent} requests. An app counts a request as the last step of
     * handling it, after the answer went out, so right after the client's last answer the app may still be one or
     * two requests short; reading then would move those requests into the next window. Waits at most a few seconds
     * (an app that lost requests never gets there; the assertions then say so).
     */
    static ServerStats counted(RunningApp running, long sent) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        ServerStats stats = running.stats();
        while (stats.requests() < sent && System.nanoTime() < deadline) {
            Thread.sleep(10);
            stats = running.stats();
        }
        return stats;
    }

    /**
     * Runs one app without and with the agent, {@code rounds} times each, in alternating order.
     *
     * @param launcher where and how to start it
     * @param app      which app
     * @param workload the load of every run
     * @param rounds   runs per mode, at least 1
     * @param progress where to print a line per run
     * @return the comparison
     * @throws IOException          if an app cannot be started or queried
     * @throws InterruptedException if interrupted
     */
    public static Comparison compare(Launcher launcher, App app, Workload workload, int rounds, PrintStream progress)
            throws IOException, InterruptedException {
        List<Run> without = new ArrayList<>();
        List<Run> with = new ArrayList<>();
        long seed = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            boolean[] order = round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
            for (boolean agent : order) {
                String name = app.id() + "-jdk" + launcher.jdk().feature() + "-"
                        + (launcher.memoryLimitBytes() > 0 ? "container-" : "local-")
                        + (agent ? "with" : "without") + "-agent-" + (round + 1);
                long t0 = System.nanoTime();
                Run run = run(launcher, app, agent, workload, seed + round, name);
                (agent ? with : without).add(run);
                progress.printf(Locale.ROOT, "[shelf-it] %-10s %-32s %-13s run %d: %s; app CPU %s (%.1f s incl."
                                + " start and %d warm-up %s)%n", app.id(), launcher.where(),
                        agent ? "with agent" : "without agent", round + 1, run.load().summary(), cpuPerRequest(run),
                        (System.nanoTime() - t0) / 1e9, run.warmupSent(), app.units());
            }
        }
        return new Comparison(app, launcher.where(), launcher.jvmArgs(), launcher.memoryLimitBytes(), workload,
                new ModeSummary(app, false, without), new ModeSummary(app, true, with));
    }
}
