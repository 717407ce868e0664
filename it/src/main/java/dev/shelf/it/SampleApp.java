package dev.shelf.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A sample app ({@link App}: the HTTP parse service or the ingest service) running as a local process in its own
 * JVM, optionally with the Shelf agent.
 *
 * <p>A separate process because the agent must be there from JVM start ({@code -javaagent}) and must not be in the
 * test's JVM; and because the comparison is only fair if both runs are fresh JVMs with the same flags. The app
 * announces its port with one {@code LISTENING <port>} line on stdout; {@link #start} waits for it with a timeout
 * and fails with the app's stderr if the line never comes. The app's stderr (where the agent logs too) goes to
 * {@code <logDir>/<name>.stderr.log}, its stdout to {@code <name>.stdout.log}, for diagnosis after the fact.
 *
 * <p>The app is started with {@code --exit-on-stdin-close}, and this class holds the write end of its stdin: if
 * the test JVM dies without running {@link #close()}, the pipe closes and the app exits on its own instead of
 * lingering and holding a port.
 *
 * <p>Where things come from, all as system properties so that Maven (failsafe, the {@code demo} profile) and an IDE
 * can supply them:
 * <ul>
 *   <li>{@code shelf.app.classpath} — the app's class path; or {@code shelf.app.classpath.file}, a file holding it
 *       (what {@code dependency:build-classpath} writes).</li>
 *   <li>{@code shelf.agent.jar} — the agent jar.</li>
 *   <li>{@code shelf.it.logDir} — where the app's output goes (default {@code target/app-logs}).</li>
 *   <li>{@code shelf.app.javaHome} — the JDK to run the app on (default: the one running this code).</li>
 *   <li>{@code shelf.app.jvmArgs} — extra JVM flags, space-separated (default {@value #DEFAULT_JVM_ARGS}).</li>
 * </ul>
 */
public final class SampleApp implements RunningApp {

    /** JVM flags unless {@code shelf.app.jvmArgs} says otherwise: {@link Launcher#DEFAULT_JVM_ARGS}. */
    public static final String DEFAULT_JVM_ARGS = String.join(" ", Launcher.DEFAULT_JVM_ARGS);

    private final App app;
    private final String name;
    private final Process process;
    private final int port;
    private final Path stdoutLog;
    private final Path stderrLog;

    private SampleApp(App app, String name, Process process, int port, Path stdoutLog, Path stderrLog) {
        this.app = app;
        this.name = name;
        this.process = process;
        this.port = port;
        this.stdoutLog = stdoutLog;
        this.stderrLog = stderrLog;
    }

    /**
     * How to start the app.
     *
     * @param app          which app
     * @param name         names the log files, e.g. {@code with-agent}
     * @param classpath    the app's class path
     * @param agentJar     the agent jar, or {@code null} to run without the agent
     * @param agentOptions what follows {@code =} in {@code -javaagent:jar=options}, or {@code null}
     * @param javaHome     the JDK to run
     * @param jvmArgs      extra JVM flags
     * @param threads      the app's worker threads
     * @param logDir       where the app's stdout and stderr go
     * @param startTimeout how long to wait for {@code LISTENING <port>}
     */
    public record Launch(App app, String name, String classpath, Path agentJar, String agentOptions, Path javaHome,
                         List<String> jvmArgs, int threads, Path logDir, Duration startTimeout) {

        /**
         * The launch settings for the HTTP app from system properties (see the class comment), without the agent.
         *
         * @param name names the log files
         * @return settings for a plain run; use {@link #withAgent(Path)} for an agent run
         */
        public static Launch fromSystemProperties(String name) {
            return fromSystemProperties(App.HTTP, name);
        }

        /**
         * The launch settings from system properties (see the class comment), without the agent.
         *
         * @param app  which app
         * @param name names the log files
         * @return settings for a plain run; use {@link #withAgent(Path)} for an agent run
         */
        public static Launch fromSystemProperties(App app, String name) {
            return new Launch(app, name, appClasspath(), null, null, javaHomeFromSystemProperties(),
                    jvmArgsFromSystemProperties(), app.threads(), logDirFromSystemProperties(),
                    Duration.ofSeconds(30));
        }

        /**
         * The same launch with the agent.
         *
         * @param jar the agent jar, e.g. from {@link #agentJar()}
         * @return a copy that starts the app with {@code -javaagent:jar}
         */
        public Launch withAgent(Path jar) {
            return new Launch(app, name, classpath, jar, agentOptions, javaHome, jvmArgs, threads, logDir,
                    startTimeout);
        }

        /**
         * The same launch with agent options.
         *
         * @param options e.g. {@code config=/path/shelf.properties}
         * @return a copy
         */
        public Launch withAgentOptions(String options) {
            return new Launch(app, name, classpath, agentJar, options, javaHome, jvmArgs, threads, logDir,
                    startTimeout);
        }

        /**
         * The same launch under another name.
         *
         * @param newName names the log files
         * @return a copy
         */
        public Launch named(String newName) {
            return new Launch(app, newName, classpath, agentJar, agentOptions, javaHome, jvmArgs, threads, logDir,
                    startTimeout);
        }

        /** @return the full command line this launch runs */
        public List<String> command() {
            List<String> cmd = new ArrayList<>();
            cmd.add(javaHome.resolve("bin").resolve("java").toString());
            cmd.addAll(jvmArgs);
            if (agentJar != null) {
                cmd.add("-javaagent:" + agentJar + (agentOptions == null ? "" : "=" + agentOptions));
            }
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(app.mainClass());
            cmd.add("0"); // any free port; the app tells us which
            cmd.add(Integer.toString(threads));
            cmd.add("--exit-on-stdin-close");
            return cmd;
        }
    }

    /** @return {@code shelf.app.javaHome}, or the JDK running this code */
    public static Path javaHomeFromSystemProperties() {
        return Paths.get(System.getProperty("shelf.app.javaHome", System.getProperty("java.home")));
    }

    /** @return {@code shelf.app.jvmArgs} split on spaces, or {@link #DEFAULT_JVM_ARGS} */
    public static List<String> jvmArgsFromSystemProperties() {
        String jvmArgs = System.getProperty("shelf.app.jvmArgs", DEFAULT_JVM_ARGS).trim();
        return jvmArgs.isEmpty() ? List.of() : Arrays.asList(jvmArgs.split("\\s+"));
    }

    /** @return {@code shelf.it.logDir}, or {@code target/app-logs} */
    public static Path logDirFromSystemProperties() {
        return Paths.get(System.getProperty("shelf.it.logDir", "target/app-logs"));
    }

    /**
     * The agent jar named by {@code shelf.agent.jar}, checked to exist.
     *
     * @return the jar's path
     * @throws IllegalStateException naming the path and how to build it, if the property is unset or the jar absent
     */
    public static Path agentJar() {
        String prop = System.getProperty("shelf.agent.jar");
        if (prop == null || prop.isBlank()) {
            throw new IllegalStateException("System property shelf.agent.jar is not set; it must name the Shelf"
                    + " agent jar (agent/target/shelf-agent.jar). Run through Maven (mvn -pl it -am verify) or set it.");
        }
        Path jar = Paths.get(prop).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Shelf agent jar not found at " + jar + ". Build the agent module first,"
                    + " e.g. `mvn -pl it -am verify` from the repository root (which builds agent/target/shelf-agent.jar"
                    + " before running these tests).");
        }
        return jar;
    }

    /**
     * The app's class path, from {@code shelf.app.classpath} or the file named by {@code shelf.app.classpath.file}.
     *
     * @return the class path
     * @throws IllegalStateException if neither is set or the file is missing
     */
    public static String appClasspath() {
        String direct = System.getProperty("shelf.app.classpath");
        if (direct != null && !direct.isBlank()) {
            return direct.trim();
        }
        String file = System.getProperty("shelf.app.classpath.file");
        if (file == null || file.isBlank()) {
            throw new IllegalStateException("Neither shelf.app.classpath nor shelf.app.classpath.file is set; run"
                    + " through Maven (the it module writes target/sample-app.classpath) or set one of them.");
        }
        Path path = Paths.get(file);
        try {
            String cp = Files.readString(path).trim();
            if (cp.isEmpty()) {
                throw new IllegalStateException("class path file " + path + " is empty");
            }
            return cp;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the sample app's class path from " + path.toAbsolutePath()
                    + "; it is written by maven-dependency-plugin in the it module's build", e);
        }
    }

    /**
     * Starts the app and waits until it listens.
     *
     * @param launch how to start it
     * @return the running app; {@link #close()} it
     * @throws IOException           if the process cannot be started
     * @throws IllegalStateException if it does not announce its port in time; the message includes its stderr
     */
    public static SampleApp start(Launch launch) throws IOException {
        Files.createDirectories(launch.logDir());
        Path stdoutLog = launch.logDir().resolve(launch.name() + ".stdout.log");
        Path stderrLog = launch.logDir().resolve(launch.name() + ".stderr.log");
        List<String> command = launch.command();
        Files.writeString(launch.logDir().resolve(launch.name() + ".command.txt"), String.join(" ", command) + "\n");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(stderrLog.toFile()))
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        Process process = pb.start();

        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> pumpStdout(process, stdoutLog, listening), launch.name() + "-stdout");
        pump.setDaemon(true);
        pump.start();
        process.onExit().thenRun(() -> listening.completeExceptionally(
                new IllegalStateException("exited with status " + process.exitValue())));

        int port;
        try {
            port = listening.get(launch.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            destroy(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the app to start", e);
        } catch (ExecutionException | TimeoutException e) {
            destroy(process);
            String why = e instanceof TimeoutException ? "did not print LISTENING <port> within "
                    + launch.startTimeout() : e.getCause().getMessage();
            throw new IllegalStateException("sample app '" + launch.name() + "' failed to start: " + why
                    + "\ncommand: " + String.join(" ", command) + "\nstderr (" + stderrLog + "):\n"
                    + tail(stderrLog, 40), e);
        }
        return new SampleApp(launch.app(), launch.name(), process, port, stdoutLog, stderrLog);
    }

    /** Copies the app's stdout to its log, completing {@code listening} at the LISTENING line. */
    private static void pumpStdout(Process process, Path log, CompletableFuture<Integer> listening) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log)) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (!listening.isDone() && line.startsWith("LISTENING ")) {
                    try {
                        listening.complete(Integer.parseInt(line.substring("LISTENING ".length()).trim()));
                    } catch (NumberFormatException e) {
                        listening.completeExceptionally(new IllegalStateException("bad announcement: " + line));
                    }
                }
            }
        } catch (IOException e) {
            listening.completeExceptionally(new UncheckedIOException("reading the app's stdout", e));
        }
    }

    @Override
    public App app() {
        return app;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Path log() {
        return stderrLog;
    }

    /** @return the app process's id, e.g. to attach to it over JMX */
    public long pid() {
        return process.pid();
    }

    /** @return the app's stderr log (the agent's log lines end up here too) */
    public Path stderrLog() {
        return stderrLog;
    }

    /** @return the app's stdout log */
    public Path stdoutLog() {
        return stdoutLog;
    }

    @Override
    public String logTail(int lines) {
        return tail(stderrLog, lines);
    }

    /**
     * The last lines of the app's stderr, for assertion messages.
     *
     * @param lines how many
     * @return the lines, joined
     */
    public String stderrTail(int lines) {
        return tail(stderrLog, lines);
    }

    /**
     * Stops the app: closes its stdin (it exits on its own), then SIGTERM, then SIGKILL, each after a few seconds.
     * Safe to call more than once.
     */
    @Override
    public void close() {
        destroy(process);
    }

    private static void destroy(Process process) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "SampleApp[" + name + ", port " + port + ", pid " + process.pid() + "]";
    }
}
