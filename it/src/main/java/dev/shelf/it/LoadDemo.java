package dev.shelf.it;

import dev.shelf.it.container.ContainerLauncher;
import dev.shelf.it.container.DockerEnvironment;
import dev.shelf.it.container.RuntimeImage;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The README's demo: the HTTP sample app under the same load without and with the agent, side by side.
 *
 * <pre>{@code ./mvnw -q -Pdemo -DskipTests verify}</pre>
 *
 * <p>Where Docker is available the app runs in a container (an image built here from this JDK with jlink, the app
 * and the agent; 256 MiB memory limit; host networking), otherwise as a local process; the output says which, and
 * why. Each run starts a fresh app, sends a warm-up so that compiled code is compared rather than the interpreter,
 * then the measured load, reading the app's statistics before and after it. The modes run in A-B, B-A order
 * ({@code rounds} each) and each mode's runs are pooled (see {@link Measurement}).
 *
 * <p>Prints the table and writes it, with the JSON and the latency chart, to {@code it/target/reports/demo/}.
 *
 * <p>Arguments, all optional: {@code [requests [warmup [clients [rounds]]]] [--app=http|ingest] [--report=none|exit]},
 * defaults 20000, 5000, 16, 2, {@code http} and {@code none}. {@code --app=ingest} runs the CSV ingest app instead
 * (requests are then batches). {@code --report=exit} turns on Shelf's exit report in the runs with the agent (local
 * processes only: the JSON goes to {@code <reportDir>/demo/exit-reports/}) and prints the last run's report at the
 * end; it covers that app's whole life, warm-up included. Maven: {@code -Ddemo.app=ingest -Ddemo.report=exit}.
 * {@code -Dshelf.demo.where=local|container|auto} (default auto) chooses where the app runs. The app's class path
 * and the agent jar come from the same system properties as for the integration tests (see {@link SampleApp}).
 * Exits with status 1 if any response was wrong or failed, or if the agent was not active in the runs with it.
 */
public final class LoadDemo {

    private LoadDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args {@code [requests [warmup [clients [rounds]]]] [--app=http|ingest] [--report=none|exit]}
     * @throws Exception if the app cannot be started or queried; the message says why
     */
    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        App app = App.HTTP;
        boolean exitReport = false;
        for (String arg : args) {
            if (arg.isBlank()) {
                continue; // an unset Maven property
            } else if (arg.startsWith("--app=")) {
                String v = arg.substring("--app=".length());
                if (!v.equals("http") && !v.equals("ingest")) {
                    usage("--app must be http or ingest, was '" + v + "'");
                }
                app = v.equals("http") ? App.HTTP : App.INGEST;
            } else if (arg.startsWith("--report=")) {
                String v = arg.substring("--report=".length());
                if (!v.equals("none") && !v.equals("exit")) {
                    usage("--report must be none or exit, was '" + v + "'");
                }
                exitReport = v.equals("exit");
            } else if (arg.startsWith("--")) {
                usage("unknown option " + arg);
            } else {
                positional.add(arg);
            }
        }
        int requests = intArg(positional, 0, "requests", 20_000);
        int warmup = intArg(positional, 1, "warmup", 5_000);
        int clients = intArg(positional, 2, "clients", 16);
        int rounds = intArg(positional, 3, "rounds", 2);
        PrintStream out = System.out;

        LocalLauncher local;
        try {
            local = LocalLauncher.fromSystemProperties();
        } catch (IllegalStateException e) {
            System.err.println("[demo] " + e.getMessage());
            System.exit(1);
            return;
        }
        Path dir = Paths.get(System.getProperty("shelf.it.reportDir", "target/reports")).resolve("demo");
        if (exitReport) {
            local = local.withExitReports(dir.resolve("exit-reports"));
        }
        Launcher launcher = local;
        String where = System.getProperty("shelf.demo.where", "auto");
        if (exitReport && !where.equals("local")) {
            out.println("[demo] running the app as a local process: --report=exit reads the report file the app"
                    + " writes");
        } else if (!where.equals("local")) {
            Optional<String> unavailable = DockerEnvironment.unavailableReason();
            if (unavailable.isEmpty()) {
                List<Path> jars = new ArrayList<>();
                for (String entry : local.classpath().split(File.pathSeparator)) {
                    jars.add(Paths.get(entry));
                }
                Path work = Paths.get(System.getProperty("shelf.it.workDir", "target/images"));
                RuntimeImage image = RuntimeImage.build(Jdk.current(), jars, local.agentJar(), work, out);
                launcher = new ContainerLauncher(image, local.jvmArgs(), ContainerLauncher.DEFAULT_MEMORY,
                        local.logDir());
            } else if (where.equals("container")) {
                System.err.println("[demo] containers requested but unavailable: " + unavailable.get());
                System.exit(1);
                return;
            } else {
                out.println("[demo] running the app as a local process: " + unavailable.get());
            }
        }

        Workload workload = app.defaultWorkload().withRequests(requests).withWarmup(warmup)
                .withConcurrency(clients);
        out.printf("Shelf demo: the %s sample app (%s) under load without and with the agent, %s.%n",
                app.id(), app.requestName(), launcher.where());
        Comparison c = Measurement.compare(launcher, app, workload, rounds, out);
        Report report = new Report("Shelf demo").add(c);
        report.writeTo(dir);
        out.println();
        out.print(Report.table(c));
        out.println();
        out.println("Report: " + dir.resolve("report.md") + " (also report.json, latency.png). App logs: "
                + local.logDir());

        if (exitReport) {
            printExitReport(local, out);
        }

        if (!c.with().active()) {
            System.err.println("[demo] Shelf was not active in the runs with the agent: the comparison above is"
                    + " meaningless. The app's log says why: " + local.logDir());
            System.exit(1);
        }
        boolean clean = c.without().contaminated() + c.without().errors() + c.with().contaminated()
                + c.with().errors() == 0;
        if (!clean) {
            for (ModeSummary m : List.of(c.without(), c.with())) {
                for (Run r : m.runs()) {
                    System.err.println("[demo] " + m.label() + ": " + r.load().summary());
                }
            }
            System.exit(1);
        }
    }

    /** Prints the exit report of the last run with the agent: the table from its log, and where the JSON is. */
    private static void printExitReport(LocalLauncher local, PrintStream out) throws java.io.IOException {
        Path newest;
        try (var files = java.nio.file.Files.list(local.exitReportDir())) {
            newest = files.filter(f -> f.getFileName().toString().endsWith(".exit-report.json"))
                    .max(java.util.Comparator.comparing(f -> f.toFile().lastModified())).orElse(null);
        }
        if (newest == null) {
            System.err.println("[demo] no exit report was written under " + local.exitReportDir()
                    + "; the apps' logs say why: " + local.logDir());
            System.exit(1);
            return;
        }
        String name = newest.getFileName().toString().replace(".exit-report.json", "");
        Path log = local.logDir().resolve(name + ".stderr.log");
        out.println();
        out.println("Shelf's exit report of the last run with the agent (" + name + "; the app's whole life, warm-up"
                + " included), from " + log + ":");
        out.println();
        boolean inReport = false;
        for (String line : java.nio.file.Files.readAllLines(log)) {
            inReport |= line.startsWith("[shelf]") && line.contains("exit report");
            if (inReport && line.startsWith("[shelf]")) {
                out.println("    " + line);
            }
        }
        out.println();
        out.println("JSON: " + newest);
    }

    private static int intArg(List<String> positional, int index, String name, int dflt) {
        if (positional.size() <= index) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(positional.get(index));
            if (v > 0 || (v == 0 && name.equals("warmup"))) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(name + " must be a positive whole number, was '" + positional.get(index) + "'");
        return -1; // unreachable
    }

    private static void usage(String problem) {
        System.err.println("[demo] " + problem);
        System.err.println("[demo] usage: LoadDemo [requests [warmup [clients [rounds]]]] [--app=http|ingest]"
                + " [--report=none|exit]");
        System.exit(2);
    }
}
