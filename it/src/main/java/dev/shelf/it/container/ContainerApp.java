package dev.shelf.it.container;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.shelf.it.App;
import dev.shelf.it.RunningApp;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sample app running in a container from a {@link RuntimeImage}: host networking (so it listens on this
 * machine's 127.0.0.1, and the load never leaves loopback), a memory limit with no swap, a fixed heap.
 *
 * <p>In host mode Testcontainers' port-based waiting does not work; the app announces its port with
 * {@code LISTENING <port>} on stdout, and the start waits for that line. The container's output (the app's and the
 * agent's log lines) goes to a file as it comes.
 */
public final class ContainerApp implements RunningApp {

    /** How the sample apps announce their port: {@code LISTENING <port>}, the port as group 1. */
    public static final Pattern LISTENING = Pattern.compile("LISTENING (\\d+)");

    private final App app;
    private final GenericContainer<?> container;
    private final int port;
    private final Path log;
    private final Writer logWriter;

    private ContainerApp(App app, GenericContainer<?> container, int port, Path log, Writer logWriter) {
        this.app = app;
        this.container = container;
        this.port = port;
        this.log = log;
        this.logWriter = logWriter;
    }

    /**
     * Starts an app container and waits until the app listens.
     *
     * @param app         which app
     * @param image       the image with the runtime, the apps and the agent
     * @param withAgent   whether to pass {@code -javaagent}
     * @param jvmArgs     JVM flags
     * @param memoryBytes the container's memory limit (swap included: none)
     * @param log         where the container's output goes
     * @return the running app
     * @throws IOException if the container does not start; the message includes its output
     */
    public static ContainerApp start(App app, RuntimeImage image, boolean withAgent, List<String> jvmArgs,
                                     long memoryBytes, Path log) throws IOException {
        return start(app, image, withAgent ? "" : null, java.util.Map.of(), jvmArgs, memoryBytes, log);
    }

    /**
     * Starts an app container with agent options and host directories mounted read-only, and waits until the app
     * listens.
     *
     * @param app           which app
     * @param image         the image with the runtime, the apps and the agent
     * @param agentOptions  {@code null} for no agent, else the agent's {@code key=value,...} options ({@code ""}
     *                      for none)
     * @param readOnlyMounts host directories by the path they get in the container, mounted read-only
     * @param jvmArgs       JVM flags
     * @param memoryBytes   the container's memory limit (swap included: none)
     * @param log           where the container's output goes
     * @return the running app
     * @throws IOException if the container does not start; the message includes its output
     */
    public static ContainerApp start(App app, RuntimeImage image, String agentOptions,
                                     java.util.Map<Path, String> readOnlyMounts, List<String> jvmArgs,
                                     long memoryBytes, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(RuntimeImage.JAVA);
        cmd.addAll(jvmArgs);
        if (agentOptions != null) {
            cmd.add("-javaagent:" + RuntimeImage.AGENT_JAR + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        cmd.add("-cp");
        cmd.add(RuntimeImage.APP_CLASSPATH);
        cmd.add(app.mainClass());
        cmd.add("0"); // any free port on the host's loopback; the app says which
        cmd.add(Integer.toString(app.threads()));
        return start(app, image, cmd, readOnlyMounts, memoryBytes, log, Duration.ofSeconds(60));
    }

    /**
     * Starts a container with a given command line and waits until the app in it prints {@code LISTENING <port>}.
     *
     * @param app            which app (how to load it and read its statistics)
     * @param image          the image
     * @param cmd            the whole command, starting with {@link RuntimeImage#JAVA}
     * @param readOnlyMounts host directories by the path they get in the container, mounted read-only
     * @param memoryBytes    the container's memory limit (swap included: none)
     * @param log            where the container's output goes
     * @param startTimeout   how long to wait for the {@code LISTENING} line
     * @return the running app
     * @throws IOException if the container does not start; the message includes its output
     */
    public static ContainerApp start(App app, RuntimeImage image, List<String> cmd,
                                     java.util.Map<Path, String> readOnlyMounts, long memoryBytes, Path log,
                                     Duration startTimeout) throws IOException {
        return start(app, image, cmd, readOnlyMounts, memoryBytes, log, startTimeout, LISTENING);
    }

    /**
     * Starts a container with a given command line and waits until a line of its output (stdout or stderr) matches
     * {@code listening}: for servers that say which port they took in their own words, as Jetty's log does.
     *
     * @param app            which app (how to load it and read its statistics)
     * @param image          the image
     * @param cmd            the whole command, starting with {@link RuntimeImage#JAVA}
     * @param readOnlyMounts host directories by the path they get in the container, mounted read-only
     * @param memoryBytes    the container's memory limit (swap included: none)
     * @param log            where the container's output goes
     * @param startTimeout   how long to wait for the line
     * @param listening      the line that says the app listens, with the port as group 1
     * @return the running app
     * @throws IOException if the container does not start; the message includes its output
     */
    @SuppressWarnings("resource") // closed in close(), or here on failure
    public static ContainerApp start(App app, RuntimeImage image, List<String> cmd,
                                     java.util.Map<Path, String> readOnlyMounts, long memoryBytes, Path log,
                                     Duration startTimeout, Pattern listening) throws IOException {
        Files.createDirectories(log.getParent());
        Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        writer.write("# " + image.name() + ": " + String.join(" ", cmd) + "\n");
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image.name()))
                .withImagePullPolicy(NeverPull.INSTANCE)
                .withNetworkMode("host")
                .withCommand(cmd.toArray(String[]::new))
                .withCreateContainerCmdModifier(create -> create.getHostConfig()
                        .withMemory(memoryBytes).withMemorySwap(memoryBytes))
                .withLogConsumer((OutputFrame frame) -> append(writer, frame))
                .withStartupAttempts(1)
                .waitingFor(Wait.forLogMessage(".*" + listening.pattern() + ".*", 1)
                        .withStartupTimeout(startTimeout));
        readOnlyMounts.forEach((host, inContainer) -> c.withFileSystemBind(host.toString(), inContainer,
                BindMode.READ_ONLY));
        try {
            c.start();
        } catch (RuntimeException e) {
            String logs = safeLogs(c);
            c.stop();
            close(writer);
            throw new IOException("container for " + app.id() + " (" + image.name() + ") did not start: " + e
                    + "\noutput:\n" + logs, e);
        }
        Matcher m = listening.matcher(c.getLogs());
        if (!m.find()) {
            c.stop();
            close(writer);
            throw new IOException("container for " + app.id() + " started but announced no port");
        }
        return new ContainerApp(app, c, Integer.parseInt(m.group(1)), log, writer);
    }

    private static void append(Writer writer, OutputFrame frame) {
        String text = frame.getUtf8String();
        if (text == null || text.isEmpty()) {
            return;
        }
        synchronized (writer) {
            try {
                writer.write(text);
                if (!text.endsWith("\n")) {
                    writer.write('\n');
                }
                writer.flush();
            } catch (IOException ignored) {
                // the log is for diagnosis only
            }
        }
    }

    private static String safeLogs(GenericContainer<?> c) {
        try {
            return c.getLogs();
        } catch (RuntimeException e) {
            return "(no output: " + e + ")";
        }
    }

    private static void close(Writer w) {
        synchronized (w) {
            try {
                w.close();
            } catch (IOException ignored) {
                // nothing to do
            }
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
        return log;
    }

    @Override
    public String logTail(int lines) {
        String all = safeLogs(container);
        String[] split = all.split("\n");
        return String.join("\n", java.util.Arrays.asList(split).subList(Math.max(0, split.length - lines),
                split.length));
    }

    @Override
    public boolean oomKilled() {
        InspectContainerResponse info = DockerClientFactory.instance().client()
                .inspectContainerCmd(container.getContainerId()).exec();
        return Boolean.TRUE.equals(info.getState().getOOMKilled());
    }

    /** @return the container's id */
    public String containerId() {
        return container.getContainerId();
    }

    @Override
    public void close() {
        try {
            container.stop();
        } finally {
            close(logWriter);
        }
    }
}
