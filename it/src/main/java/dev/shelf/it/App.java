package dev.shelf.it;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The sample apps, with what it takes to drive and read each one.
 *
 * <p>All announce {@code LISTENING <port>} on stdout and serve their statistics document (see
 * {@code dev.shelf.sample.StatsDocument} in sample-app): the HTTP apps at {@code GET /stats}, the ingest app for a
 * {@code STATS} line. The HTTP apps speak one protocol, so one load generator checks them all.
 */
public enum App {

    /** The HTTP JSON parse service: one pooled {@code ParseRequest} per {@code POST /parse}. */
    HTTP("http-parse", "dev.shelf.sample.http.ParseServer", 8, "request", "POST /parse",
            List.of("dev.shelf.sample.http.ParseRequest"), Workload.of(20_000, 5_000, 16, 200)),

    /**
     * The batch CSV ingest service: per batch a pooled {@code Batch} (owning a pooled {@code Totals}), and per line a
     * pooled {@code OrderLine}.
     */
    INGEST("csv-ingest", "dev.shelf.sample.ingest.IngestServer", 16, "batch", "BATCH of CSV lines",
            List.of("dev.shelf.sample.ingest.Batch", "dev.shelf.sample.ingest.OrderLine",
                    "dev.shelf.sample.ingest.Totals"), Workload.of(5_000, 1_000, 16, 100)),

    /**
     * The same {@code POST /parse} service as {@link #HTTP} as a Spring Boot executable jar ({@code sample-spring-boot}:
     * embedded Tomcat with 8 workers, a {@code @RestController}): one pooled {@code WebParseRequest} per request. Run
     * with {@code java -jar}, not from a main class ({@link #mainClass()} is {@code null}); see
     * {@code dev.shelf.it.container.StackLauncher}.
     */
    SPRING_BOOT("spring-boot-parse", null, 8, "request", "POST /parse",
            List.of("dev.shelf.sample.web.WebParseRequest"), Workload.of(3_000, 1_000, 16, 200)),

    /**
     * The same service as servlets in a WAR ({@code sample-war}: {@code pool-runtime} in {@code WEB-INF/lib}),
     * deployed by the standalone Jetty 12 distribution ({@code sample-jetty}: jetty-home and a Jetty base) with its
     * child-first web-app class loader: one pooled {@code WebParseRequest} per request. Started with Jetty's
     * {@code start.jar}, not from a main class of its own ({@link #mainClass()} is {@code null}).
     */
    JETTY_WAR("war-parse", null, 16, "request", "POST /parse",
            List.of("dev.shelf.sample.web.WebParseRequest"), Workload.of(3_000, 1_000, 16, 200));

    /** The apps of {@code sample-app}, run from its class path: what the sample-app tests iterate over. */
    public static final List<App> SAMPLES = List.of(HTTP, INGEST);

    private final String id;
    private final String mainClass;
    private final int threads;
    private final String unit;
    private final String requestName;
    private final List<String> pooledClasses;
    private final Workload defaultWorkload;

    App(String id, String mainClass, int threads, String unit, String requestName, List<String> pooledClasses,
        Workload defaultWorkload) {
        this.id = id;
        this.mainClass = mainClass;
        this.threads = threads;
        this.unit = unit;
        this.requestName = requestName;
        this.pooledClasses = pooledClasses;
        this.defaultWorkload = defaultWorkload;
    }

    /** @return the app's name, as in its stats document */
    public String id() {
        return id;
    }

    /** @return the class to run, or {@code null} for an app that is not run from a class path */
    public String mainClass() {
        return mainClass;
    }

    /** @return worker threads the app is started with */
    public int threads() {
        return threads;
    }

    /** @return what one request is, for reports: {@code request} or {@code batch} */
    public String unit() {
        return unit;
    }

    /** @return {@link #unit()} in the plural */
    public String units() {
        return unit.endsWith("ch") ? unit + "es" : unit + "s";
    }

    /** @return what the load generator sends, for reports */
    public String requestName() {
        return requestName;
    }

    /** @return the {@code @Pooled} classes the app's request path allocates, whose hit ratios are asserted */
    public List<String> pooledClasses() {
        return pooledClasses;
    }

    /** @return the load the tests and the demo use unless told otherwise */
    public Workload defaultWorkload() {
        return defaultWorkload;
    }

    /**
     * Fetches the app's statistics document.
     *
     * @param port the app's port on 127.0.0.1
     * @return the parsed document
     * @throws IOException if the request fails or the answer is not a stats document
     */
    public ServerStats stats(int port) throws IOException {
        if (this != INGEST) {
            try (HttpConnection conn = new HttpConnection(port, Duration.ofSeconds(10))) {
                HttpConnection.Response r = conn.get("/stats");
                if (r.status() != 200) {
                    throw new IOException("GET /stats answered " + r.status() + ": " + r.text());
                }
                return ServerStats.parse(r.body());
            }
        }
        try (IngestConnection conn = new IngestConnection(port, Duration.ofSeconds(10))) {
            return ServerStats.parse(conn.stats());
        }
    }

    /**
     * Runs a bounded, checked load against the app.
     *
     * @param port     the app's port on 127.0.0.1
     * @param requests how many requests (batches for the ingest app)
     * @param workload concurrency and request sizes
     * @param seed     seeds the unique payloads
     * @return what the load observed
     * @throws InterruptedException if interrupted while waiting for the clients
     */
    public LoadResult load(int port, int requests, Workload workload, long seed) throws InterruptedException {
        if (this != INGEST) {
            return LoadGenerator.run(new LoadGenerator.Config(port, requests, workload.concurrency(),
                    workload.maxItems(), seed, Duration.ofSeconds(10), Duration.ofMinutes(5)));
        }
        return IngestLoadGenerator.run(new IngestLoadGenerator.Config(port, requests, workload.concurrency(),
                workload.maxItems(), seed, Duration.ofSeconds(10), Duration.ofMinutes(5)));
    }
}
