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
 * <p>Arguments, all optional: {@code [requests [warmup [clients [rounds]]]]}, defaults 20000, 5000, 16 and 2.
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
     * @param args {@code [requests [warmup [clients [rounds]]]]}
     * @throws Exception if the app cannot be started or queried; the message says why
     */
    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        PrintStream out = System.out;

        LocalLauncher local;
        try {
            local = LocalLauncher.fromSystemProperties();
        } catch (IllegalStateException e) {
            System.err.println("[demo] " + e.getMessage());
            System.exit(1);
            return;
        }
        Launcher launcher = local;
        String where = System.getProperty("shelf.demo.where", "auto");
        if (!where.equals("local")) {
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

        Workload workload = App.HTTP.defaultWorkload().withRequests(requests).withWarmup(warmup)
                .withConcurrency(clients);
        out.printf("Shelf demo: the HTTP sample app (%s) under load without and with the agent, %s.%n",
                App.HTTP.requestName(), launcher.where());
        Comparison c = Measurement.compare(launcher, App.HTTP, workload, rounds, out);
        Report report = new Report("Shelf demo").add(c);
        Path dir = Paths.get(System.getProperty("shelf.it.reportDir", "target/reports")).resolve("demo");
        report.writeTo(dir);
        out.println();
        out.print(Report.table(c));
        out.println();
        out.println("Report: " + dir.resolve("report.md") + " (also report.json, latency.png). App logs: "
                + local.logDir());

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
}
