package dev.shelf.it;

import java.util.List;

/**
 * One app measured without and with the agent under the same load, in the same place.
 *
 * @param app              which app
 * @param where            where it ran, e.g. {@code container, JDK 25.0.3}
 * @param jvmArgs          the app's JVM flags (besides {@code -javaagent})
 * @param memoryLimitBytes the container's memory limit, or -1 for a local process
 * @param workload         the load each run got
 * @param without          the runs without the agent
 * @param with             the runs with the agent
 */
public record Comparison(App app, String where, List<String> jvmArgs, long memoryLimitBytes, Workload workload,
                         ModeSummary without, ModeSummary with) {

    /** The bar: allocated bytes per request with the agent at most this share of without. */
    public static final double MAX_ALLOCATION_RATIO = 0.40;

    /** @return with / without, whole-process bytes per request */
    public double processBytesRatio() {
        return with.bytesPerRequest() / without.bytesPerRequest();
    }

    /** @return with / without, handler-scope bytes per request */
    public double handlerBytesRatio() {
        return with.handlerBytesPerRequest() / without.handlerBytesPerRequest();
    }

    /**
     * Which allocation figure the {@value #MAX_ALLOCATION_RATIO} bar is asserted on. For the ingest app, whose code
     * owns the whole request path, the whole process. For the HTTP app, the app's handling scope: the JDK HTTP
     * server's own per-request garbage (request-line and header parsing, connection handling, some 14 KB per
     * request) is outside any app's control and is the same with and without the agent, so the process-wide
     * figure mostly measures the server; it is reported next to it all the same.
     *
     * @return {@code "process"} or {@code "handler"}
     */
    public String assertedScope() {
        return app == App.INGEST ? "process" : "handler";
    }

    /** @return the ratio the bar is asserted on */
    public double assertedRatio() {
        return app == App.INGEST ? processBytesRatio() : handlerBytesRatio();
    }

    /** @return e.g. {@code http-parse · container, JDK 17.0.15} */
    public String title() {
        return app.id() + " · " + where;
    }
}
