package dev.shelf.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * Both sample apps as local processes on the JDK running the build, without and with the agent, under the same
 * bounded load; every answer checked. This is the suite that runs everywhere, Docker or not ({@link
 * ContainerLoadIT} repeats it in containers on JDK 17 and 25 images).
 *
 * <p>With the agent, the apps' plain {@code new}s of {@code @Pooled} classes return released objects, re-initialised
 * by code the agent generated from the classes' constructors. The claims ({@link Expectations}): not one answer
 * differs from what fresh objects would have produced; the pools serve at least 95% of acquisitions in steady state;
 * and allocation per request drops to at most 40% of what the same app allocates without the agent. Without the
 * agent the same load must be just as clean, and Shelf must report itself inactive with no pools.
 *
 * <p>Writes {@code target/reports/local/report.md}, {@code report.json} and {@code latency.png}. Request counts:
 * {@code -Dshelf.it.requests} (HTTP, default 20000) and {@code -Dshelf.it.batches} (ingest, default 5000). The apps'
 * output is under {@code target/app-logs}.
 */
class LocalLoadIT {

    private static final Report REPORT = new Report("Sample apps as local processes, without and with the Shelf"
            + " agent");

    /** @return the sample-app apps, which run from a class path (the stacks' apps are StacksIT's) */
    static Stream<App> samples() {
        return App.SAMPLES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    @Timeout(300) // a hung app must fail the build, not stall it; a healthy run takes 15-30 s on two cores
    void withAndWithoutTheAgent(App app) throws Exception {
        Comparison c = Measurement.compare(LocalLauncher.fromSystemProperties(), app, Expectations.workload(app), 1,
                System.out);
        REPORT.add(c);
        System.out.println(Report.table(c));
        Expectations.check(c);
    }

    @AfterAll
    static void writeReport() throws Exception {
        REPORT.writeUnderReports("local");
    }
}
