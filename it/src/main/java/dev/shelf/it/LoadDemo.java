package dev.shelf.it;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The README's demo: the same load against the sample app without and with the agent, side by side.
 *
 * <pre>{@code ./mvnw -q -Pdemo -DskipTests verify}</pre>
 *
 * <p>Each measurement starts a fresh app JVM (same flags), sends a warm-up round so that compiled code is compared
 * rather than the interpreter, then the measured round, reading {@code /stats} before and after it. Allocation and
 * GC figures are the app's own (measured inside the server, over the measured round only), so the load generator's
 * garbage does not blur them.
 *
 * <p>The modes are run in an A-B-B-A order ({@code rounds} pairs, default 2) and each mode's runs are pooled. The
 * load generator shares the machine with the app and keeps warming up itself across runs, so whichever mode runs
 * second tends to look faster; alternating the order cancels that drift instead of crediting it to the agent.
 * Throughput and latency on a small shared machine remain noisy; the allocation row is the stable one.
 *
 * <p>Arguments, all optional: {@code [requests [warmup [clients [rounds]]]]}, defaults 20000, 5000, 16 and 2
 * ({@code requests} is per measured run). The app's class path and the agent jar come from the same system
 * properties as for the integration tests (see {@link SampleApp}).
 */
public final class LoadDemo {

    private LoadDemo() {
    }

    /** One measured run. */
    private record Run(LoadResult load, ServerStats before, ServerStats after) {
    }

    /** Everything measured for one mode, over all its runs. */
    private static final class Mode {
        final String label;
        final SampleApp.Launch launch;
        final List<Run> runs = new ArrayList<>();

        Mode(String label, SampleApp.Launch launch) {
            this.label = label;
            this.launch = launch;
        }

        long sum(Function<Run, Long> f) {
            return runs.stream().mapToLong(f::apply).sum();
        }

        long requests() {
            return sum(r -> (long) r.load().requests());
        }

        long completed() {
            return sum(r -> r.load().ok() + r.load().contaminated());
        }

        double throughput() {
            long nanos = sum(r -> r.load().elapsedNanos());
            return nanos == 0 ? 0 : completed() * 1e9 / nanos;
        }

        double latencyMillis(double percentile) {
            Histogram all = new Histogram(3);
            runs.forEach(r -> all.add(r.load().latency()));
            return all.getValueAtPercentile(percentile) / 1e6;
        }

        double bytesPerRequest() {
            if (runs.stream().anyMatch(r -> r.before().allocatedBytes() < 0)) {
                return Double.NaN;
            }
            long handled = sum(r -> r.after().parseRequests() - r.before().parseRequests());
            return handled == 0 ? Double.NaN
                    : (double) sum(r -> r.after().allocatedBytes() - r.before().allocatedBytes()) / handled;
        }

        /** reused / acquired for ParseRequest over the measured rounds (warm-up misses excluded). */
        String hitRatio() {
            if (runs.stream().noneMatch(r -> r.after().active())) {
                return "-";
            }
            long acquired = sum(r -> delta(r, ServerStats.Pool::acquired));
            long reused = sum(r -> delta(r, ServerStats.Pool::reused));
            return acquired == 0 ? "no pool" : String.format(Locale.ROOT, "%.4f", (double) reused / acquired);
        }

        private static long delta(Run r, Function<ServerStats.Pool, Long> counter) {
            long after = r.after().pool(ServerStats.PARSE_REQUEST).map(counter).orElse(0L);
            long before = r.before().pool(ServerStats.PARSE_REQUEST).map(counter).orElse(0L);
            return after - before;
        }

        boolean clean() {
            return sum(r -> r.load().contaminated() + r.load().errors()) == 0;
        }
    }

    /**
     * Runs the demo and prints the table to stdout; exits with status 1 if any response was wrong or failed.
     *
     * @param args {@code [requests [warmup [clients [rounds]]]]}
     * @throws Exception if the app cannot be started or queried; the message says why
     */
    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        PrintStream out = System.out;

        Path agent;
        try {
            agent = SampleApp.agentJar();
        } catch (IllegalStateException e) {
            System.err.println("[demo] " + e.getMessage());
            System.exit(1);
            return;
        }

        out.printf(Locale.ROOT, "Shelf demo: POST /parse on the sample app from %d keep-alive clients, 0..200 unique"
                        + " tokens per request;%n%d measured requests per run after %d warm-up, %d run(s) per mode in"
                        + " alternating order, %d cores shared by app and load.%n", clients, requests, warmup,
                rounds, Runtime.getRuntime().availableProcessors());
        Mode plain = new Mode("without agent", SampleApp.Launch.fromSystemProperties("demo-without-agent"));
        Mode pooled = new Mode("with agent",
                SampleApp.Launch.fromSystemProperties("demo-with-agent").withAgent(agent));
        for (int round = 0; round < rounds; round++) {
            // A B, B A, A B, ...: each mode runs first as often as second.
            List<Mode> order = round % 2 == 0 ? List.of(plain, pooled) : List.of(pooled, plain);
            for (Mode mode : order) {
                mode.runs.add(measure(mode, requests, warmup, clients, out));
            }
        }

        List<Mode> modes = List.of(plain, pooled);
        out.println();
        row(out, "", modes, m -> m.label);
        row(out, "requests", modes, m -> Long.toString(m.requests()));
        row(out, "throughput (req/s)", modes, m -> fmt("%.0f", m.throughput()));
        row(out, "latency p50 (ms)", modes, m -> fmt("%.3f", m.latencyMillis(50)));
        row(out, "latency p99 (ms)", modes, m -> fmt("%.3f", m.latencyMillis(99)));
        row(out, "allocated bytes/request", modes, m -> fmt("%.0f", m.bytesPerRequest()));
        row(out, "GC count", modes, m -> Long.toString(m.sum(r -> r.after().gcCount() - r.before().gcCount())));
        row(out, "GC time (ms)", modes,
                m -> Long.toString(m.sum(r -> r.after().gcTimeMillis() - r.before().gcTimeMillis())));
        row(out, "hit ratio (ParseRequest)", modes, Mode::hitRatio);
        row(out, "contaminated / errors", modes, m -> m.sum(r -> r.load().contaminated()) + " / "
                + m.sum(r -> r.load().errors()));
        out.println();
        out.println("App JVM flags: " + String.join(" ", plain.launch.jvmArgs()) + "; allocation and GC measured"
                + " inside the app over the measured requests only. App logs: " + plain.launch.logDir());

        if (!plain.clean() || !pooled.clean()) {
            for (Mode m : modes) {
                for (Run r : m.runs) {
                    System.err.println("[demo] " + m.label + ": " + r.load().summary());
                }
            }
            System.exit(1);
        }
    }

    private static Run measure(Mode mode, int requests, int warmup, int clients, PrintStream out)
            throws IOException, InterruptedException {
        out.printf("  %-14s run %d ...", mode.label, mode.runs.size() + 1);
        out.flush();
        try (SampleApp app = SampleApp.start(mode.launch)) {
            if (warmup > 0) {
                LoadGenerator.run(LoadGenerator.Config.of(app.port(), warmup).withConcurrency(clients));
            }
            ServerStats before = app.stats();
            LoadResult load = LoadGenerator.run(LoadGenerator.Config.of(app.port(), requests)
                    .withConcurrency(clients));
            ServerStats after = app.stats();
            out.printf(Locale.ROOT, " %.1f s, %.0f req/s%n", load.elapsedNanos() / 1e9, load.throughput());
            return new Run(load, before, after);
        }
    }

    private static void row(PrintStream out, String name, List<Mode> modes, Function<Mode, String> cell) {
        StringBuilder sb = new StringBuilder(String.format("%-26s", name));
        for (Mode m : modes) {
            sb.append(String.format("%16s", cell.apply(m)));
        }
        out.println(sb.toString().stripTrailing());
    }

    private static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
