package dev.shelf.it;

import java.io.IOException;
import java.util.List;

/** Starts sample apps somewhere — as local processes or in containers — the same way with and without the agent. */
public interface Launcher {

    /**
     * JVM flags for every app run: G1 (chosen explicitly, because in a small container the JVM would pick the
     * serial collector by itself, and runs must compare like with like) and a fixed 128 MiB heap, so that GC
     * counts do not depend on how the JVM sizes the heap on a given machine, and so that the app fits a 256 MiB
     * container.
     */
    List<String> DEFAULT_JVM_ARGS = List.of("-XX:+UseG1GC", "-Xms128m", "-Xmx128m");

    /**
     * Starts an app and waits until it listens.
     *
     * @param app       which app
     * @param withAgent whether to start it with {@code -javaagent:shelf-agent.jar}
     * @param name      names its log, e.g. {@code http-parse-with-agent}
     * @return the running app
     * @throws IOException if it cannot be started
     */
    RunningApp start(App app, boolean withAgent, String name) throws IOException;

    /** @return where apps run, for reports: e.g. {@code local process, JDK 17.0.15} */
    String where();

    /** @return the JDK the apps run on */
    Jdk jdk();

    /** @return the JVM flags apps are started with (besides {@code -javaagent}) */
    List<String> jvmArgs();

    /** @return the memory limit apps run under, in bytes, or -1 for none */
    default long memoryLimitBytes() {
        return -1;
    }
}
