package dev.shelf.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The founding example under real load: the sample app in its own JVM, 16 concurrent keep-alive clients, tens of
 * thousands of unique requests, every answer checked.
 *
 * <p>With the agent, {@code new ParseRequest()} in the handler returns released objects, re-initialised by code the
 * agent generated from the class's constructor. The test's claim is that this is invisible except in the
 * statistics: not one response may differ from what a fresh object would have produced (no contamination), and the
 * pool must actually be used (hit ratio at least 0.90; with a fixed set of worker threads it is close to 1). Without
 * the agent the same load must be just as clean, and Shelf must report itself inactive with no pools: the code is
 * correct without Shelf, only without reuse.
 *
 * <p>Request count: {@code -Dshelf.it.requests} (default {@value #DEFAULT_REQUESTS}). The app's output is under
 * {@code it/target/app-logs}.
 */
class HttpParseLoadIT {

    static final int DEFAULT_REQUESTS = 20_000;
    static final int REQUESTS = Integer.getInteger("shelf.it.requests", DEFAULT_REQUESTS);
    static final int CLIENTS = 16;

    @Test
    @Timeout(120) // a hung app must fail the build, not stall it; a healthy run takes ~10 s on two cores
    void withAgentEveryResponseIsCleanAndParseRequestsAreReused() throws Exception {
        Path agent;
        try {
            agent = SampleApp.agentJar();
        } catch (IllegalStateException e) {
            fail(e.getMessage());
            return;
        }
        try (SampleApp app = SampleApp.start(SampleApp.Launch.fromSystemProperties("with-agent").withAgent(agent))) {
            LoadResult result = LoadGenerator.run(LoadGenerator.Config.of(app.port(), REQUESTS)
                    .withConcurrency(CLIENTS));
            System.out.println("[it] with agent: " + result.summary());
            ServerStats stats = app.stats();
            System.out.println("[it] with agent: " + stats);

            assertClean(result, app);
            assertThat(stats.parseRequests()).as("requests the app handled").isEqualTo(REQUESTS);
            assertThat(stats.active()).as("Shelf.isActive() in the app; agent log: %s", app.stderrLog()).isTrue();
            ServerStats.Pool pool = stats.pool(ServerStats.PARSE_REQUEST).orElseThrow(() -> new AssertionError(
                    "no pool for " + ServerStats.PARSE_REQUEST + " in " + stats + "\napp stderr:\n"
                            + app.stderrTail(40)));
            // Counters are per thread and read racily, but the load is over, so they are exact (give or take the
            // visibility of plain longs, which the idle second /stats request makes moot in practice).
            assertThat(pool.acquired()).as("ParseRequest acquisitions: %s", pool).isEqualTo(REQUESTS);
            assertThat(pool.released()).as("ParseRequest releases: %s", pool).isEqualTo(REQUESTS);
            assertThat(pool.hitRatio()).as("ParseRequest hit ratio (reused/acquired): %s", pool)
                    .isGreaterThanOrEqualTo(0.90);
        }
    }

    @Test
    @Timeout(120)
    void withoutAgentEveryResponseIsCleanAndNothingIsPooled() throws Exception {
        try (SampleApp app = SampleApp.start(SampleApp.Launch.fromSystemProperties("without-agent"))) {
            LoadResult result = LoadGenerator.run(LoadGenerator.Config.of(app.port(), REQUESTS)
                    .withConcurrency(CLIENTS));
            System.out.println("[it] without agent: " + result.summary());
            ServerStats stats = app.stats();
            System.out.println("[it] without agent: " + stats);

            assertClean(result, app);
            assertThat(stats.parseRequests()).as("requests the app handled").isEqualTo(REQUESTS);
            assertThat(stats.active()).as("Shelf.isActive() without the agent").isFalse();
            assertThat(stats.pools()).as("pools without the agent").isEmpty();
            assertThat(stats.acquired()).isZero();
            assertThat(stats.reused()).isZero();
            assertThat(stats.released()).isZero();
            assertThat(stats.hitRatio()).isZero();
        }
    }

    private static void assertClean(LoadResult result, SampleApp app) {
        String context = result.summary() + "\napp stderr (" + app.stderrLog() + "):\n" + app.stderrTail(20);
        assertThat(result.contaminated()).as("contaminated responses: %s", context).isZero();
        assertThat(result.errors()).as("failed requests: %s", context).isZero();
        assertThat(result.ok()).as("correct responses").isEqualTo(REQUESTS);
    }
}
