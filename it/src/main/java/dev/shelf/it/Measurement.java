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
 */
public final class Measurement {

    private Measurement() {
    }

    /**
     * Runs one app once.
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
            if (workload.warmup() > 0) {
                app.load(running.port(), workload.warmup(), workload, ~seed);
                sent += workload.warmup();
            }
            ServerStats before = counted(running, sent);
            LoadResult load = app.load(running.port(), workload.requests(), workload, seed);
            sent += workload.requests();
            ServerStats after = counted(running, sent);
            return new Run(app, agent, workload, load, before, after, running.oomKilled());
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
                                + " start)%n", app.id(), launcher.where(), agent ? "with agent" : "without agent",
                        round + 1, run.load().summary(), cpuPerRequest(run), (System.nanoTime() - t0) / 1e9);
            }
        }
        return new Comparison(app, launcher.where(), launcher.jvmArgs(), launcher.memoryLimitBytes(), workload,
                new ModeSummary(app, false, without), new ModeSummary(app, true, with));
    }
}
