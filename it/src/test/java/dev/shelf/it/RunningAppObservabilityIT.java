package dev.shelf.it;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees of Shelf in a running sample app under load: its pool MXBeans, read live over JMX from
 * outside the app's JVM, and its exit report at shutdown. Both apps, as local processes with the real agent jar, on
 * JDK 17 and — where {@code shelf.it.jdkHomes} names it and it exists — JDK 25.
 *
 * <p>The MXBean test attaches to the app (Attach API, local JMX connector on loopback), sends a warm-up so that every
 * pooled class is loaded and its bean registered, reads every bean, sends a bounded, checked load, and reads them
 * again. The differences must add up to the load it sent: one {@code ParseRequest} / {@code Batch} per request, one
 * {@code OrderLine} per CSV line, each released again, nearly all reused; and the beans must agree with the app's
 * own {@code Shelf.stats()} document.
 *
 * <p>The exit-report test starts the app with {@code report=exit,report.file=...}, loads it, stops it (stdin closes,
 * the app exits normally, Shelf's shutdown hook writes the report), and checks the JSON file and the printed table.
 * The table is kept in {@code target/reports/exit-report/<app>-jdk<n>.txt}: docs/observability.md quotes one.
 */
class RunningAppObservabilityIT {

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Path home : Jdk.homesFromSystemProperty()) {
            for (App app : App.SAMPLES) {
                cases.add(Arguments.of(app, home));
            }
        }
        return cases.stream();
    }

    static Jdk jdk(Path home) {
        var jdk = Jdk.at(home);
        Assumptions.assumeTrue(jdk.isPresent(), "no JDK at " + home + " (set shelf.jdk25.home to run there too)");
        return jdk.get();
    }

    static SampleApp.Launch launch(App app, Jdk jdk, String name, String agentOptions) {
        SampleApp.Launch base = SampleApp.Launch.fromSystemProperties(app, name + "-" + app.id() + "-jdk"
                + jdk.feature());
        return new SampleApp.Launch(app, base.name(), base.classpath(), SampleApp.agentJar(), agentOptions,
                jdk.home(), base.jvmArgs(), base.threads(), base.logDir(), Duration.ofSeconds(60));
    }

    static Workload workload(App app) {
        return app.defaultWorkload().withRequests(app == App.HTTP ? 5_000 : 1_000).withWarmup(
                app == App.HTTP ? 1_000 : 200);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    @Timeout(240)
    void poolBeansOfTheRunningAppAddUpToTheLoadItServed(App app, Path home) throws Exception {
        Jdk jdk = jdk(home);
        Workload w = workload(app);
        try (SampleApp running = SampleApp.start(launch(app, jdk, "jmx", null));
             PoolBeans beans = PoolBeans.attach(running.pid())) {
            LoadResult warm = app.load(running.port(), w.warmup(), w, 1);
            assertThat(warm.ok()).as("warm-up answers: %s", warm.summary()).isEqualTo(w.warmup());
            Measurement.counted(running, w.warmup());
            Map<String, PoolBeans.Pool> before = readAll(beans, app, running);

            LoadResult load = app.load(running.port(), w.requests(), w, 2);
            ServerStats stats = Measurement.counted(running, w.warmup() + w.requests());
            Map<String, PoolBeans.Pool> after = readAll(beans, app, running);

            String ctx = app.id() + " on " + jdk.label() + " (pid " + running.pid() + ", log " + running.log() + ")";
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(load.ok()).as("correct answers under the measured load — %s: %s", ctx, load.summary())
                    .isEqualTo(w.requests());
            soft.assertThat(beans.pooledClasses()).as("pool beans registered — %s", ctx)
                    .containsAll(app.pooledClasses());
            for (String cls : app.pooledClasses()) {
                PoolBeans.Pool b = before.get(cls);
                PoolBeans.Pool a = after.get(cls);
                String c = cls.substring(cls.lastIndexOf('.') + 1) + " — " + ctx + "; before " + b + "; after " + a;
                long acquired = a.get("Acquired") - b.get("Acquired");
                long reused = a.get("Reused") - b.get("Reused");
                long released = a.get("Released") - b.get("Released");
                soft.assertThat(a.className()).as("ClassName of %s", c).isEqualTo(cls);
                long expected = expectedAcquisitions(cls, w.requests(), load.items());
                if (expected >= 0) {
                    soft.assertThat(acquired).as("acquired during the load, %s", c).isEqualTo(expected);
                } else {
                    soft.assertThat(acquired).as("acquired during the load, %s", c).isPositive();
                }
                soft.assertThat(reused).as("reused during the load, %s", c)
                        .isGreaterThanOrEqualTo((long) Math.ceil(0.95 * acquired)).isPositive();
                soft.assertThat(released).as("released during the load, %s", c).isEqualTo(acquired);
                soft.assertThat(a.get("Reused") + a.get("Allocated")).as("reused + allocated = acquired, %s", c)
                        .isEqualTo(a.get("Acquired"));
                soft.assertThat(a.hitRatio()).as("HitRatio since start, %s", c).isGreaterThanOrEqualTo(0.9);
                soft.assertThat(a.get("DoubleReleases")).as("double releases, %s", c).isZero();
                soft.assertThat(a.get("Dropped")).as("dropped because full, %s", c).isZero();
                soft.assertThat(a.get("Capacity")).as("capacity, %s", c).isPositive();
                // Each worker thread keeps at most Capacity idle objects, the shared depot at most SharedCapacity.
                soft.assertThat(a.get("Idle")).as("idle objects, %s", c).isBetween(0L,
                        a.get("Capacity") * app.threads() + a.get("SharedCapacity"));
                ServerStats.Pool own = stats.pool(cls).orElseThrow();
                soft.assertThat(a.get("Acquired")).as("JMX agrees with the app's Shelf.stats(), %s", c)
                        .isEqualTo(own.acquired());
                soft.assertThat(a.get("Released")).as("JMX agrees with the app's Shelf.stats(), %s", c)
                        .isEqualTo(own.released());
            }
            if (app == App.HTTP) {
                soft.assertThat(after.get(ServerStats.PARSE_REQUEST).get("EstimatedBytesPerObject"))
                        .as("estimated size of a ParseRequest, which owns a 16 KiB buffer").isGreaterThan(16 * 1024);
            }
            soft.assertAll();
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    @Timeout(240)
    void exitReportOfTheAppUnderLoadListsItsPoolsWithTheLoadsNumbers(App app, Path home) throws Exception {
        Jdk jdk = jdk(home);
        Workload w = workload(app);
        Path dir = Path.of(System.getProperty("shelf.it.reportDir", "target/reports")).resolve("exit-report")
                .toAbsolutePath();
        Files.createDirectories(dir);
        Path json = dir.resolve(app.id() + "-jdk" + jdk.feature() + ".json");
        Files.deleteIfExists(json);
        LoadResult warm;
        LoadResult load;
        Path log;
        try (SampleApp running = SampleApp.start(launch(app, jdk, "exit-report", "report=exit,report.file=" + json))) {
            warm = app.load(running.port(), w.warmup(), w, 3);
            load = app.load(running.port(), w.requests(), w, 4);
            Measurement.counted(running, w.warmup() + w.requests());
            log = running.stderrLog();
        } // closing stdin ends the app normally: shutdown hooks run and the report is written
        assertThat(json).as("exit report file (app log %s)", log).exists();
        long sent = w.warmup() + w.requests();
        long lines = warm.items() + load.items();
        Map<String, Object> report = Json.parseObject(Files.readAllBytes(json));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> classes = (List<Map<String, Object>>) report.get("classes");
        Map<String, Map<String, Object>> byClass = new HashMap<>();
        classes.forEach(c -> byClass.put((String) c.get("class"), c));

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(byClass.keySet()).as("classes in %s", json).containsAll(app.pooledClasses());
        for (String cls : app.pooledClasses()) {
            Map<String, Object> row = byClass.getOrDefault(cls, Map.of());
            String c = cls + " in " + json + ": " + row;
            long acquired = num(row, "acquired");
            long expected = expectedAcquisitions(cls, sent, lines);
            if (expected >= 0) {
                soft.assertThat(acquired).as("acquired over the app's life, %s", c).isEqualTo(expected);
            }
            soft.assertThat(num(row, "released")).as("released, %s", c).isEqualTo(acquired);
            soft.assertThat(num(row, "reused") + num(row, "allocated")).as("reused + allocated, %s", c)
                    .isEqualTo(acquired);
            soft.assertThat(((Number) row.getOrDefault("hitRatio", 0)).doubleValue()).as("hit ratio, %s", c)
                    .isGreaterThanOrEqualTo(0.9);
            soft.assertThat(num(row, "doubleReleases")).as("double releases, %s", c).isZero();
            soft.assertThat(num(row, "estimatedBytesSaved")).as("estimated bytes saved, %s", c).isPositive();
        }
        List<String> table = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> l.startsWith("[shelf]")).dropWhile(l -> !l.contains("exit report")).toList();
        soft.assertThat(table).as("the exit report printed to the app's stderr (%s)", log).isNotEmpty();
        for (String cls : app.pooledClasses()) {
            soft.assertThat(table).as("printed rows").anyMatch(l -> l.contains(cls));
        }
        soft.assertAll();
        Files.write(dir.resolve(app.id() + "-jdk" + jdk.feature() + ".txt"), table, StandardCharsets.UTF_8);
    }

    /** Reads every pooled class's bean, waiting a few seconds for beans Shelf registers after class loading. */
    private static Map<String, PoolBeans.Pool> readAll(PoolBeans beans, App app, SampleApp running)
            throws IOException, InterruptedException {
        Map<String, PoolBeans.Pool> pools = new HashMap<>();
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (String cls : app.pooledClasses()) {
            var pool = beans.pool(cls);
            while (pool.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                pool = beans.pool(cls);
            }
            pools.put(cls, pool.orElseThrow(() -> new AssertionError("no MXBean dev.shelf:type=Pool,name=" + cls
                    + " in " + running + " after 20 s; beans present: " + safeNames(beans) + "; log tail:\n"
                    + running.logTail(20))));
        }
        return pools;
    }

    private static String safeNames(PoolBeans beans) {
        try {
            return beans.pooledClasses().toString();
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** One ParseRequest per request, one Batch per batch, one OrderLine per CSV line; -1 for Totals (its batch's). */
    private static long expectedAcquisitions(String cls, long requests, long lines) {
        if (cls.endsWith(".ParseRequest") || cls.endsWith(".Batch")) {
            return requests;
        }
        return cls.endsWith(".OrderLine") ? lines : -1;
    }

    private static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.longValue() : -1;
    }
}
