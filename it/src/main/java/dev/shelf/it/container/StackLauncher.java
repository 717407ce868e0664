package dev.shelf.it.container;

import dev.shelf.it.App;
import dev.shelf.it.Jdk;
import dev.shelf.it.Launcher;
import dev.shelf.it.RunningApp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Starts an app that runs the way a deployment stack runs it — {@code java -jar app.jar}, a servlet container's
 * launcher, another agent beside Shelf's — in containers from one {@link RuntimeImage}, with and without Shelf's
 * agent and otherwise the same command line.
 *
 * <p>The command is {@code java <jvmArgs> <flagsBefore> [-javaagent:shelf-agent.jar] <flagsAfter> <appCommand>}:
 * other agents go in {@code flagsBefore} or {@code flagsAfter} to choose which of the two agents the JVM starts
 * first. The app must print {@code LISTENING <port>} on stdout once it listens, or, for a server that says so in
 * its own log (Jetty's distribution), a line matching the pattern given. Every container's output goes to
 * {@code <logDir>/<id>-<run name>.log}; {@link #logs()} lists them, for assertions on what the agents printed.
 */
public final class StackLauncher implements Launcher {

    private final String id;
    private final String description;
    private final RuntimeImage image;
    private final List<String> jvmArgs;
    private final List<String> flagsBefore;
    private final List<String> flagsAfter;
    private final List<String> appCommand;
    private final long memoryBytes;
    private final Path logDir;
    private final Duration startTimeout;
    private final Pattern listening;
    private final List<Path> logs = Collections.synchronizedList(new ArrayList<>());

    /**
     * Creates the launcher.
     *
     * @param id           names the logs, e.g. {@code otel-first}
     * @param description  for reports, e.g. {@code Spring Boot jar, OpenTelemetry agent first}
     * @param image        the image with the runtime, the app and the agents
     * @param jvmArgs      JVM flags every run gets first
     * @param flagsBefore  flags before Shelf's {@code -javaagent} (and in runs without it, at the same place)
     * @param flagsAfter   flags after Shelf's {@code -javaagent}
     * @param appCommand   what starts the app, e.g. {@code -jar /opt/stacks/app.jar --server.port=0}
     * @param memoryBytes  each container's memory limit
     * @param logDir       where the containers' output goes
     * @param startTimeout how long an app may take to print {@code LISTENING <port>}
     */
    public StackLauncher(String id, String description, RuntimeImage image, List<String> jvmArgs,
                         List<String> flagsBefore, List<String> flagsAfter, List<String> appCommand,
                         long memoryBytes, Path logDir, Duration startTimeout) {
        this(id, description, image, jvmArgs, flagsBefore, flagsAfter, appCommand, memoryBytes, logDir, startTimeout,
                ContainerApp.LISTENING);
    }

    /**
     * Creates the launcher for an app that announces its port in a line of its own.
     *
     * @param id           names the logs, e.g. {@code jetty}
     * @param description  for reports, e.g. {@code WAR in Jetty 12}
     * @param image        the image with the runtime, the app and the agents
     * @param jvmArgs      JVM flags every run gets first
     * @param flagsBefore  flags before Shelf's {@code -javaagent} (and in runs without it, at the same place)
     * @param flagsAfter   flags after Shelf's {@code -javaagent}
     * @param appCommand   what starts the app, e.g. {@code -jar /opt/jetty-home/start.jar}
     * @param memoryBytes  each container's memory limit
     * @param logDir       where the containers' output goes
     * @param startTimeout how long an app may take to print the line
     * @param listening    the line (stdout or stderr) that says the app listens, with the port as group 1
     */
    public StackLauncher(String id, String description, RuntimeImage image, List<String> jvmArgs,
                         List<String> flagsBefore, List<String> flagsAfter, List<String> appCommand,
                         long memoryBytes, Path logDir, Duration startTimeout, Pattern listening) {
        this.id = id;
        this.description = description;
        this.image = image;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.flagsBefore = List.copyOf(flagsBefore);
        this.flagsAfter = List.copyOf(flagsAfter);
        this.appCommand = List.copyOf(appCommand);
        this.memoryBytes = memoryBytes;
        this.logDir = logDir;
        this.startTimeout = startTimeout;
        this.listening = listening;
    }

    /**
     * The command line of one run.
     *
     * @param withAgent whether Shelf's agent is in it
     * @return the command, starting with {@link RuntimeImage#JAVA}
     */
    public List<String> command(boolean withAgent) {
        List<String> cmd = new ArrayList<>();
        cmd.add(RuntimeImage.JAVA);
        cmd.addAll(jvmArgs);
        cmd.addAll(flagsBefore);
        if (withAgent) {
            cmd.add("-javaagent:" + RuntimeImage.AGENT_JAR);
        }
        cmd.addAll(flagsAfter);
        cmd.addAll(appCommand);
        return cmd;
    }

    @Override
    public RunningApp start(App app, boolean withAgent, String name) throws IOException {
        Path log = logDir.resolve(id + "-" + name + ".log");
        logs.add(log);
        return ContainerApp.start(app, image, command(withAgent), Map.of(), memoryBytes, log, startTimeout,
                listening);
    }

    /** @return the logs of every run started so far, in order */
    public List<Path> logs() {
        synchronized (logs) {
            return List.copyOf(logs);
        }
    }

    @Override
    public String where() {
        return "container, " + image.jdk().label() + ", " + description;
    }

    @Override
    public Jdk jdk() {
        return image.jdk();
    }

    /** @return the JVM flags and the other agents' flags: everything but Shelf's {@code -javaagent} and the app */
    @Override
    public List<String> jvmArgs() {
        List<String> all = new ArrayList<>(jvmArgs);
        all.addAll(flagsBefore);
        all.addAll(flagsAfter);
        return all;
    }

    @Override
    public long memoryLimitBytes() {
        return memoryBytes;
    }
}
