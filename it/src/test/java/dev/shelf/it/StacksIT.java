package dev.shelf.it;

import dev.shelf.it.container.DockerEnvironment;
import dev.shelf.it.container.RuntimeImage;
import dev.shelf.it.container.StackLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shelf in the stacks services are deployed on, each in containers on JDK 17 and 25 images built here
 * ({@link RuntimeImage}, nothing pulled), each without and with Shelf's agent under the same bounded load, with the
 * assertions of every load test ({@link Expectations}: no contaminated or failed answers, every request's pooled
 * object acquired and released, hit ratio ≥ 0.95, fewer bytes allocated per request with the agent):
 * <ul>
 *   <li><b>a Spring Boot executable jar</b> ({@code sample-spring-boot}: embedded Tomcat, a {@code @RestController}),
 *       run as {@code java -javaagent:shelf-agent.jar -jar app.jar}: its classes in {@code BOOT-INF/classes}, its
 *       libraries ({@code pool-runtime} among them) nested jars in {@code BOOT-INF/lib}, all loaded by Spring Boot's
 *       {@code LaunchedClassLoader};</li>
 *   <li><b>a WAR in the standalone Jetty 12 distribution</b> ({@code sample-war} as {@code webapps/ROOT.war} of the
 *       Jetty base {@code sample-jetty} makes for {@code org.eclipse.jetty:jetty-home}), run as
 *       {@code java -javaagent:shelf-agent.jar -jar $JETTY_HOME/start.jar jetty.home=... jetty.base=...}: Jetty's
 *       deployer deploys it and its child-first {@code WebAppClassLoader} loads its servlets from
 *       {@code WEB-INF/classes} and the pooled class from {@code WEB-INF/lib}, which the JVM's class-loading log must
 *       show;</li>
 *   <li><b>the Spring Boot jar next to the OpenTelemetry Java agent</b>, in both orders of the two {@code -javaagent}
 *       flags, against one run with OpenTelemetry's agent alone: pooling works, OpenTelemetry still makes a server
 *       span for every {@code POST /parse} (its console exporter logs them; nothing leaves the machine), no
 *       {@code VerifyError}, and neither agent warns.</li>
 * </ul>
 *
 * <p>Skipped with the reason where containers cannot run, failing instead with {@code REQUIRE_CONTAINER_ITS=true}
 * (CI), as {@link ContainerLoadIT}. What runs comes from the build: {@code shelf.it.springBootJar} (the repackaged
 * jar of {@code sample-spring-boot}), {@code shelf.it.otelAgentJar} (copied from Maven Central's
 * {@code io.opentelemetry.javaagent:opentelemetry-javaagent}), {@code shelf.it.jettyHome} and
 * {@code shelf.it.jettyBase} (the unpacked distribution and the Jetty base with the WAR, from {@code sample-jetty}).
 * Writes {@code target/reports/stacks/report.md}; the containers' output is under {@code target/app-logs/stacks}.
 */
class StacksIT {

    /** The runtime's modules: a Spring Boot web application and the OpenTelemetry agent need more than the samples. */
    static final List<String> MODULES = List.of("java.base", "java.compiler", "java.desktop", "java.instrument",
            "java.logging", "java.management", "java.naming", "java.net.http", "java.prefs", "java.rmi",
            "java.scripting", "java.security.jgss", "java.sql", "java.transaction.xa", "java.xml", "jdk.httpserver",
            "jdk.jfr", "jdk.management", "jdk.management.jfr", "jdk.net", "jdk.unsupported", "jdk.zipfs");

    static final String REPOSITORY = "shelf-stacks";
    static final String BOOT_JAR = "/opt/stacks/sample-spring-boot.jar";
    static final String OTEL_JAR = "/opt/otel/opentelemetry-javaagent.jar";
    static final String JETTY_HOME = "/opt/jetty-home";
    static final String JETTY_BASE = "/opt/jetty-base";

    /** Spring Boot, Tomcat and OpenTelemetry's agent want more than the samples' 256 MiB beside a 128 MiB heap. */
    static final long MEMORY = 512L * 1024 * 1024;

    /** A Spring Boot start on a busy two-core machine takes tens of seconds, more with two agents. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    /** The Spring Boot app's command: any free port (announced as {@code LISTENING <port>}). */
    static final List<String> BOOT = List.of("-jar", BOOT_JAR, "--server.port=0");

    /**
     * Jetty's distribution started as its documentation starts it. The base's {@code start.d/*.ini} (made at build
     * time by {@code start.jar --add-modules=http,ee10-deploy}) say the rest: the loopback, any free port, 16 worker
     * threads, {@code webapps/ROOT.war} deployed at {@code /}. Jetty unpacks the WAR under {@code /tmp}.
     */
    static final List<String> JETTY = List.of("-jar", JETTY_HOME + "/start.jar", "jetty.home=" + JETTY_HOME,
            "jetty.base=" + JETTY_BASE);

    /** Jetty logs (on stderr) the port its connector took; the deployer has deployed {@code webapps/} by then. */
    static final Pattern JETTY_LISTENING = Pattern.compile(
            "Started oejs\\.ServerConnector@\\S+\\{HTTP/1\\.1, \\(http/1\\.1\\)\\}\\{127\\.0\\.0\\.1:(\\d+)\\}");

    /**
     * The JVM's class-loading log, in the Jetty runs with and without the agent: it names each class's source and its
     * defining loader, which shows who loads the WAR's classes.
     */
    static final List<String> CLASS_LOAD_LOG = List.of("-Xlog:class+load=debug");

    /** Jetty 12.1's web-app class loader, shared by its ee environments, as the JVM's log names it. */
    static final String WEB_APP_CLASS_LOADER = "'org/eclipse/jetty/ee/webapp/WebAppClassLoader'";

    /** OpenTelemetry's settings: spans to the console (the log), no metrics or logs export, nothing leaves. */
    static final List<String> OTEL_PROPERTIES = List.of("-Dotel.service.name=shelf-spring-boot-sample",
            "-Dotel.traces.exporter=console", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none");

    private static final Report REPORT = new Report("Deployment stacks in containers (512 MiB, host network), without"
            + " and with the Shelf agent");
    private static final Map<Jdk, RuntimeImage> IMAGES = new HashMap<>();

    static Stream<String> jdks() {
        return Jdk.homesFromSystemProperty().stream().map(Path::toString);
    }

    private static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("REQUIRE_CONTAINER_ITS"));
    }

    @BeforeAll
    static void docker() {
        DockerEnvironment.unavailableReason().ifPresent(why -> System.out.println("[shelf-it] "
                + (required() ? "REQUIRE_CONTAINER_ITS=true but containers cannot run: "
                : "stack tests skipped: ") + why));
    }

    /** Skips (or, in CI, fails) a test when containers cannot run here, saying why; else the JDK at the home. */
    private static Jdk assumeDockerAndJdk(String jdkHome) {
        Optional<String> unavailable = DockerEnvironment.unavailableReason();
        if (unavailable.isPresent() && required()) {
            fail("REQUIRE_CONTAINER_ITS=true but containers cannot run: " + unavailable.get());
        }
        assumeTrue(unavailable.isEmpty(), () -> "stack tests skipped: " + unavailable.get());
        Optional<Jdk> jdk = Jdk.at(Path.of(jdkHome));
        assumeTrue(jdk.isPresent(), () -> "no JDK at " + jdkHome + ": runs on it are skipped");
        return jdk.get();
    }

    private static Path jarFromProperty(String property, String what) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank() || !Files.isRegularFile(Path.of(value))) {
            throw new IllegalStateException(property + " must name " + what + " (Maven sets it; got " + value + ")");
        }
        return Path.of(value);
    }

    private static Path directoryFromProperty(String property, String what, String mustHave) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank() || !Files.isRegularFile(Path.of(value).resolve(mustHave))) {
            throw new IllegalStateException(property + " must name " + what + ", with " + mustHave
                    + " in it (Maven sets it; got " + value + ")");
        }
        return Path.of(value);
    }

    /** Every file under a host directory at the same relative path under {@code inImage}; empty directories too. */
    private static void addTree(Map<String, Path> files, Path dir, String inImage) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted()::iterator) {
                String name = inImage.substring(1) + "/" + dir.relativize(p).toString().replace('\\', '/');
                if (Files.isRegularFile(p)) {
                    files.put(name, p);
                } else if (Files.isDirectory(p) && !p.equals(dir)) {
                    try (Stream<Path> entries = Files.list(p)) {
                        if (entries.findAny().isEmpty()) {
                            files.put(name + "/", p);
                        }
                    }
                }
            }
        }
    }

    private static synchronized RuntimeImage image(Jdk jdk) throws IOException {
        RuntimeImage image = IMAGES.get(jdk);
        if (image == null) {
            Map<String, Path> files = new LinkedHashMap<>();
            files.put(BOOT_JAR.substring(1), jarFromProperty("shelf.it.springBootJar",
                    "the Spring Boot sample's executable jar"));
            files.put(OTEL_JAR.substring(1), jarFromProperty("shelf.it.otelAgentJar",
                    "the OpenTelemetry Java agent jar"));
            addTree(files, directoryFromProperty("shelf.it.jettyHome", "the unpacked jetty-home distribution",
                    "start.jar"), JETTY_HOME);
            addTree(files, directoryFromProperty("shelf.it.jettyBase", "the Jetty base with the WAR",
                    "webapps/ROOT.war"), JETTY_BASE);
            files.put(RuntimeImage.AGENT_JAR.substring(1), SampleApp.agentJar());
            image = RuntimeImage.build(REPOSITORY, jdk, MODULES, files,
                    Path.of(System.getProperty("shelf.it.workDir", "target/images")), System.out);
            IMAGES.put(jdk, image);
        }
        return image;
    }

    private static Path logDir() {
        return SampleApp.logDirFromSystemProperties().resolve("stacks");
    }

    /** The load of every run here: a few thousand requests, 16 clients. */
    private static Workload workload() {
        return Expectations.workload(App.SPRING_BOOT);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    @Timeout(900) // includes building the JDK's image on first use
    void aSpringBootExecutableJarPoolsItsRequests(String jdkHome) throws Exception {
        Jdk jdk = assumeDockerAndJdk(jdkHome);
        StackLauncher launcher = new StackLauncher("spring-boot", "Spring Boot executable jar", image(jdk),
                Launcher.DEFAULT_JVM_ARGS, List.of(), List.of(), BOOT, MEMORY, logDir(), START_TIMEOUT);
        Comparison c = Measurement.compare(launcher, App.SPRING_BOOT, workload(), 1, System.out);
        REPORT.add(c);
        System.out.println(Report.table(c));
        Expectations.check(c);
        for (Path log : launcher.logs()) {
            assertNoAgentTrouble(log);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    @Timeout(900) // includes building the JDK's image on first use
    void aWarInJettyPoolsItsRequests(String jdkHome) throws Exception {
        Jdk jdk = assumeDockerAndJdk(jdkHome);
        StackLauncher launcher = new StackLauncher("jetty", "WAR in standalone Jetty 12", image(jdk),
                Launcher.DEFAULT_JVM_ARGS, CLASS_LOAD_LOG, List.of(), JETTY, MEMORY, logDir(), START_TIMEOUT,
                JETTY_LISTENING);
        Comparison c = Measurement.compare(launcher, App.JETTY_WAR, Expectations.workload(App.JETTY_WAR), 1,
                System.out);
        REPORT.add(c);
        System.out.println(Report.table(c));
        Expectations.check(c);
        for (Path log : launcher.logs()) {
            assertNoAgentTrouble(log);
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(out).as("Jetty's deployer deployed webapps/ROOT.war in the ee10 environment, in %s", log)
                    .containsPattern("Started oeje10w\\.WebAppContext@\\S+\\{Shelf sample WAR,/,.*a=AVAILABLE.*"
                            + "\\{file://" + JETTY_BASE + "/webapps/ROOT\\.war\\}");
            assertThat(out.lines().filter(l -> l.matches("\\S+ \\S+:(WARN|ERROR)\\s*:.*")).toList())
                    .as("Jetty's warnings and errors in %s", log).isEmpty();
            assertThat(out).as("the servlet from WEB-INF/classes, by Jetty's web-app class loader, in %s", log)
                    .containsPattern(loadedBy("dev.shelf.sample.war.ParseServlet", "/WEB-INF/classes/"));
            assertThat(out).as("the pooled class from WEB-INF/lib, by Jetty's web-app class loader, in %s", log)
                    .containsPattern(loadedBy("dev.shelf.sample.web.WebParseRequest",
                            "/WEB-INF/lib/sample-app-[^/\\s]+\\.jar"));
            if (log.getFileName().toString().contains("-with-agent")) {
                assertThat(out).as("the agent's check in the web-app loader: Shelf's API from the agent's runtime"
                        + " on the bootstrap class path, in %s", log)
                        .contains("dev.shelf.Shelf source: " + RuntimeImage.AGENT_JAR);
            } else {
                assertThat(out).as("without the agent, the WAR's own pool-runtime copy, in %s", log)
                        .containsPattern(loadedBy("dev.shelf.Shelf", "/WEB-INF/lib/pool-runtime-[^/\\s]+\\.jar"));
            }
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    @Timeout(900) // includes building the JDK's image on first use
    void besideTheOpenTelemetryAgentInEitherOrder(String jdkHome) throws Exception {
        Jdk jdk = assumeDockerAndJdk(jdkHome);
        RuntimeImage image = image(jdk);
        List<String> otel = new ArrayList<>(OTEL_PROPERTIES);
        otel.add("-javaagent:" + OTEL_JAR);
        StackLauncher otelFirst = new StackLauncher("otel-first", "Spring Boot jar, OpenTelemetry agent first",
                image, Launcher.DEFAULT_JVM_ARGS, otel, List.of(), BOOT, MEMORY, logDir(), START_TIMEOUT);
        StackLauncher shelfFirst = new StackLauncher("shelf-first", "Spring Boot jar, Shelf agent first",
                image, Launcher.DEFAULT_JVM_ARGS, OTEL_PROPERTIES, List.of("-javaagent:" + OTEL_JAR), BOOT, MEMORY,
                logDir(), START_TIMEOUT);
        Workload w = workload();
        long seed = System.nanoTime();
        String prefix = App.SPRING_BOOT.id() + "-jdk" + jdk.feature() + "-container-";
        // One run with OpenTelemetry's agent alone is the baseline of both orders.
        Run alone = Measurement.run(otelFirst, App.SPRING_BOOT, false, w, seed, prefix + "without-agent");
        for (StackLauncher launcher : List.of(otelFirst, shelfFirst)) {
            Run with = Measurement.run(launcher, App.SPRING_BOOT, true, w, seed, prefix + "with-agent");
            Comparison c = new Comparison(App.SPRING_BOOT, launcher.where(), launcher.jvmArgs(),
                    launcher.memoryLimitBytes(), w, new ModeSummary(App.SPRING_BOOT, false, List.of(alone)),
                    new ModeSummary(App.SPRING_BOOT, true, List.of(with)));
            REPORT.add(c);
            System.out.println(Report.table(c));
            Expectations.check(c);
        }
        List<Path> logs = new ArrayList<>(otelFirst.logs());
        logs.addAll(shelfFirst.logs());
        assertThat(logs).hasSize(3);
        for (Path log : logs) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(out).as("OpenTelemetry's agent started, in %s", log)
                    .contains("opentelemetry-javaagent - version:");
            assertThat(out).as("a server span for POST /parse from OpenTelemetry's Tomcat instrumentation, in %s", log)
                    .containsPattern("'POST /parse' : [0-9a-f]{32} [0-9a-f]{16} SERVER");
            assertNoAgentTrouble(log);
            assertThat(out.lines().filter(l -> l.contains("[otel.javaagent") && (l.contains("] WARN ")
                    || l.contains("] ERROR "))).toList()).as("OpenTelemetry agent warnings in %s", log).isEmpty();
        }
    }

    /**
     * The two lines {@code -Xlog:class+load=debug} writes for a class: where it came from (a path in the web
     * application Jetty unpacked under {@code /tmp}), then its defining loader.
     */
    private static Pattern loadedBy(String className, String sourceInWebApp) {
        return Pattern.compile(Pattern.quote(className) + " source: file:/tmp/jetty-\\S+/webapp" + sourceInWebApp
                + "\\R.*\\[class,load\\]\\s+klass: .* loader: .*" + Pattern.quote(WEB_APP_CLASS_LOADER));
    }

    /** No bytecode the JVM refused, no warning from Shelf's agent. */
    private static void assertNoAgentTrouble(Path log) throws IOException {
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(out).as("the JVM refused rewritten bytecode, in %s", log)
                .doesNotContain("VerifyError").doesNotContain("ClassFormatError");
        assertThat(out.lines().filter(l -> l.startsWith("[shelf] WARN")).toList())
                .as("Shelf agent warnings in %s", log).isEmpty();
    }

    @AfterAll
    static void writeReport() throws Exception {
        REPORT.writeUnderReports("stacks");
    }
}
