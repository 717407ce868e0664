package dev.shelf.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP sample's pooled arrays, before and after: bodies bigger than the request's 16 KiB buffer go to overflow
 * arrays made with {@code new @Pooled byte[n]} ({@code RequestParser.readBody}), whose lengths are the buffer's times
 * a power of two. Without the agent every such body allocates its overflow arrays (32 KiB, 64 KiB, ... up to the
 * body's size); with it they come from per-thread pools by length, and the handler allocates a fraction of that.
 * Every answer is checked, so a reused array that was not zeroed, or handed to two requests at once, would show as a
 * wrong answer.
 *
 * <p>Writes {@code target/reports/pooled-arrays/report.md}.
 */
class PooledArraysIT {

    private static final int WARMUP = 300;
    private static final int REQUESTS = 1_500;
    /** Body sizes cycle through these, all above the 16 KiB buffer: overflow arrays of 32, 64 and 128 KiB. */
    private static final int[] SIZES = {20 * 1024, 40 * 1024, 60 * 1024, 100 * 1024};

    /** What one run measured. */
    record Run(boolean agent, long requests, double handlerBytesPerRequest, long arrayAcquired, long arrayReused,
               List<String> arrayPools) {
    }

    @Test
    @Timeout(240)
    void oversizedBodiesReuseTheirOverflowArraysWithTheAgent() throws Exception {
        LocalLauncher launcher = LocalLauncher.fromSystemProperties();
        Run without = run(launcher, false);
        Run with = run(launcher, true);
        String report = report(without, with);
        Path dir = Path.of(System.getProperty("shelf.it.reportDir", "target/reports")).resolve("pooled-arrays");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), report);
        System.out.println(report);

        assertThat(without.arrayPools()).as("without the agent there are no pools").isEmpty();
        assertThat(with.arrayPools()).as("pools by length for the overflow arrays")
                .contains("byte[32768]", "byte[65536]", "byte[131072]");
        assertThat(with.arrayAcquired()).as("at least one overflow array per request").isGreaterThanOrEqualTo(REQUESTS);
        assertThat((double) with.arrayReused() / with.arrayAcquired()).as("hit ratio of the array pools")
                .isGreaterThanOrEqualTo(0.95);
        assertThat(with.handlerBytesPerRequest()).as("handler bytes per request, with ÷ without")
                .isLessThanOrEqualTo(0.2 * without.handlerBytesPerRequest());
    }

    private static Run run(LocalLauncher launcher, boolean agent) throws Exception {
        try (RunningApp app = launcher.start(App.HTTP, agent, "pooled-arrays-" + (agent ? "with" : "without"));
             HttpConnection conn = new HttpConnection(app.port(), Duration.ofSeconds(30))) {
            SplittableRandom random = new SplittableRandom(19);
            send(conn, 0, WARMUP, random, app);
            // The app counts a request after its answer went out: wait until it has counted them all.
            ServerStats before = Measurement.counted(app, WARMUP);
            send(conn, WARMUP, REQUESTS, random, app);
            ServerStats after = Measurement.counted(app, WARMUP + REQUESTS);
            long requests = after.requests() - before.requests();
            assertThat(requests).as("parse requests counted").isEqualTo(REQUESTS);
            long acquired = 0;
            long reused = 0;
            List<String> pools = new ArrayList<>();
            for (ServerStats.Pool p : after.pools()) {
                if (!p.className().startsWith("byte[")) {
                    continue;
                }
                pools.add(p.className());
                ServerStats.Pool b = before.pool(p.className()).orElse(null);
                acquired += p.acquired() - (b == null ? 0 : b.acquired());
                reused += p.reused() - (b == null ? 0 : b.reused());
            }
            double handler = (double) (after.handlerAllocatedBytes() - before.handlerAllocatedBytes()) / requests;
            return new Run(agent, requests, handler, acquired, reused, pools);
        }
    }

    private static void send(HttpConnection conn, long firstId, int n, SplittableRandom random, RunningApp app)
            throws Exception {
        for (int i = 0; i < n; i++) {
            long id = firstId + i;
            int tokens = 1 + (int) (id % 40);
            LoadGenerator.Request r = LoadGenerator.request(id, tokens, random);
            byte[] body = padded(r.body(), SIZES[(int) (id % SIZES.length)]);
            HttpConnection.Response response = conn.post("/parse", body);
            String expected = "{\"id\":" + id + ",\"tokens\":" + tokens + ",\"digest\":" + r.digest()
                    + ",\"valid\":true}";
            assertThat(response.status()).as("status of request %d; app log:%n%s", id, app.logTail(30))
                    .isEqualTo(200);
            assertThat(response.text()).as("answer to request %d (%d bytes)", id, body.length).isEqualTo(expected);
        }
    }

    /** The body with a skipped {@code "pad"} string field added so that it is exactly {@code size} bytes. */
    static byte[] padded(byte[] body, int size) {
        String json = new String(body, StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(size).append(json, 0, json.length() - 1).append(",\"pad\":\"");
        int fill = size - sb.length() - 2;
        if (fill < 0) {
            throw new IllegalArgumentException("body of " + body.length + " bytes does not fit in " + size);
        }
        sb.append("p".repeat(fill)).append("\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String report(Run without, Run with) {
        return String.format(Locale.ROOT, """
                # Pooled overflow arrays in the HTTP sample, without and with the agent

                %d requests after %d warm-up, bodies of 20, 40, 60 and 100 KiB in turn (the request's own buffer is
                16 KiB; the rest goes to `new @Pooled byte[n]` overflow arrays of 32, 64 and 128 KiB), every answer
                checked.

                | | handler bytes per request | array acquisitions | reused | array pools |
                |---|---:|---:|---:|---|
                | without the agent | %.0f | %d | %d | %s |
                | with the agent | %.0f | %d | %d | %s |

                Handler bytes per request, with ÷ without: %.3f
                """, REQUESTS, WARMUP, without.handlerBytesPerRequest(), without.arrayAcquired(),
                without.arrayReused(), String.join(", ", without.arrayPools()), with.handlerBytesPerRequest(),
                with.arrayAcquired(), with.arrayReused(), String.join(", ", with.arrayPools()),
                with.handlerBytesPerRequest() / without.handlerBytesPerRequest());
    }
}
