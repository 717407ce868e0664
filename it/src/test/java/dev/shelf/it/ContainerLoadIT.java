package dev.shelf.it;

import dev.shelf.it.container.ContainerApp;
import dev.shelf.it.container.ContainerLauncher;
import dev.shelf.it.container.DockerEnvironment;
import dev.shelf.it.container.RuntimeImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Both sample apps in containers, the way users run services: an image per JDK (17 and 25) built here from a
 * jlink'ed runtime, the app and the agent jar ({@link RuntimeImage}: no image is ever pulled), host networking,
 * a 256 MiB memory limit and a fixed 128 MiB heap; each app without and with the agent under the same bounded load,
 * with the same assertions as {@link LocalLoadIT} ({@link Expectations}), plus: the app's cgroup reports the
 * limit, and no container was OOM-killed.
 *
 * <p>On a machine with no Docker (or not configured for it, see {@link DockerEnvironment}) every test here is
 * skipped with the reason; everything else still runs. CI ({@code .ci/run}) starts an engine and sets
 * {@code REQUIRE_CONTAINER_ITS=true}, which turns "no Docker" into a failure, so that CI cannot pass without
 * having run these tests. A JDK home that does not exist (no second JDK on the machine) skips that JDK's runs.
 *
 * <p>The JDKs: {@code -Dshelf.it.jdkHomes} (comma-separated; Maven passes the JDK running the build and
 * {@code shelf.jdk25.home}). Writes {@code target/reports/containers/report.md}, {@code report.json} and
 * {@code latency.png}; the containers' output is under {@code target/app-logs}.
 */
class ContainerLoadIT {

    private static final Report REPORT = new Report("Sample apps in containers (256 MiB, host network), without and"
            + " with the Shelf agent");
    private static final Map<Jdk, RuntimeImage> IMAGES = new HashMap<>();

    private static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("REQUIRE_CONTAINER_ITS"));
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String home : Jdk.homesFromSystemProperty().stream().map(Path::toString).toList()) {
            for (App app : App.SAMPLES) {
                cases.add(Arguments.of(home, app));
            }
        }
        return cases.stream();
    }

    @BeforeAll
    static void docker() {
        DockerEnvironment.unavailableReason().ifPresent(why -> System.out.println("[shelf-it] "
                + (required() ? "REQUIRE_CONTAINER_ITS=true but containers cannot run: "
                : "container tests skipped: ") + why));
    }

    /** Skips (or, in CI, fails) a test when containers cannot run here, saying why. */
    private static void assumeDocker() {
        Optional<String> unavailable = DockerEnvironment.unavailableReason();
        if (unavailable.isPresent() && required()) {
            fail("REQUIRE_CONTAINER_ITS=true but containers cannot run: " + unavailable.get());
        }
        assumeTrue(unavailable.isEmpty(), () -> "container tests skipped: " + unavailable.get());
    }

    private static synchronized RuntimeImage image(Jdk jdk) throws Exception {
        RuntimeImage image = IMAGES.get(jdk);
        if (image == null) {
            List<Path> jars = new ArrayList<>();
            for (String entry : SampleApp.appClasspath().split(File.pathSeparator)) {
                jars.add(Path.of(entry));
            }
            image = RuntimeImage.build(jdk, jars, SampleApp.agentJar(),
                    Path.of(System.getProperty("shelf.it.workDir", "target/images")), System.out);
            IMAGES.put(jdk, image);
        }
        return image;
    }

    /**
     * The production recipe for start-up ({@code shelf.cache.dir}): a cache trained by one run on the host — same
     * JDK, same app and agent jars as the image — mounted read-only into the container, whose start then takes every
     * class the training run rewrote from it and writes nothing.
     */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    @Timeout(600) // includes building the JDK's image on first use
    void aContainerStartsWarmFromACacheTrainedOnTheHostAndMountedReadOnly(String jdkHome, App app,
                                                                          @TempDir Path cache) throws Exception {
        assumeDocker();
        Optional<Jdk> jdk = Jdk.at(Path.of(jdkHome));
        assumeTrue(jdk.isPresent(), () -> "no JDK at " + jdkHome + ": runs on it are skipped");
        Workload w = RunningAppObservabilityIT.workload(app);
        List<String> training;
        try (SampleApp running = SampleApp.start(RunningAppObservabilityIT.launch(app, jdk.get(), "cache-training",
                "cache.dir=" + cache + ",explain=true"))) {
            assertThat(app.load(running.port(), w.warmup(), w, 6).ok()).isEqualTo(w.warmup());
            training = Files.readAllLines(running.stderrLog(), StandardCharsets.UTF_8);
        }
        List<String> expected = WarmStartIT.takenFromCache(training);
        assertThat(expected).as("what the training run rewrote").hasSizeGreaterThanOrEqualTo(2);

        Path log = SampleApp.logDirFromSystemProperties().resolve("cache-warm-container-" + app.id() + "-jdk"
                + jdk.get().feature() + ".log");
        try (ContainerApp running = ContainerApp.start(app, image(jdk.get()),
                "cache.dir=/opt/shelf-cache,explain=true", Map.of(cache, "/opt/shelf-cache"),
                SampleApp.jvmArgsFromSystemProperties(), ContainerLauncher.DEFAULT_MEMORY, log)) {
            assertThat(app.load(running.port(), w.warmup(), w, 7).ok()).as("answers in the container")
                    .isEqualTo(w.warmup());
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(out).contains("shelf.cache.dir /opt/shelf-cache is read-only: its entries are used, none are "
                + "written");
        for (String line : expected) {
            assertThat(out).as("container log " + log).contains("[shelf] " + line);
        }
        assertThat(out).doesNotContain("cannot write to shelf.cache.dir");
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    @Timeout(600) // includes building the JDK's image on first use
    void withAndWithoutTheAgent(String jdkHome, App app) throws Exception {
        assumeDocker();
        Optional<Jdk> jdk = Jdk.at(Path.of(jdkHome));
        assumeTrue(jdk.isPresent(), () -> "no JDK at " + jdkHome + ": runs on it are skipped");
        ContainerLauncher launcher = new ContainerLauncher(image(jdk.get()),
                SampleApp.jvmArgsFromSystemProperties(), ContainerLauncher.DEFAULT_MEMORY,
                SampleApp.logDirFromSystemProperties());
        Comparison c = Measurement.compare(launcher, app, Expectations.workload(app), 1, System.out);
        REPORT.add(c);
        System.out.println(Report.table(c));
        Expectations.check(c);
    }

    @AfterAll
    static void writeReport() throws Exception {
        REPORT.writeUnderReports("containers");
    }
}
