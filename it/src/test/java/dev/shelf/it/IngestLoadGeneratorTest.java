package dev.shelf.it;

import dev.shelf.sample.ingest.IngestServer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingest load generator against the real ingest app in-process (without the agent: its totals, computed
 * independently, must match the app's exactly) and against stand-in servers that answer wrongly, so that "zero
 * contaminated batches" in the integration tests is known to mean something.
 */
class IngestLoadGeneratorTest {

    private static IngestLoadGenerator.Config config(int port, int batches) {
        return new IngestLoadGenerator.Config(port, batches, 4, 100, 7, Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    @Test
    void theAppsAnswersMatchTheGeneratorsOwnTotals() throws Exception {
        try (IngestServer server = IngestServer.start(0, 4)) {
            LoadResult r = IngestLoadGenerator.run(config(server.port(), 400));
            assertThat(r.ok()).as(r.summary()).isEqualTo(400);
            assertThat(r.contaminated()).isZero();
            assertThat(r.errors()).isZero();
            // The session counts a batch right after flushing its answer (so that the count covers the reply's
            // allocation): the last count may land just after the client has read the last answer.
            for (long deadline = System.nanoTime() + 5_000_000_000L;
                 (server.batches() < 400 || server.lines() < r.items()) && System.nanoTime() < deadline; ) {
                Thread.sleep(10);
            }
            assertThat(server.batches()).isEqualTo(400);
            assertThat(server.lines()).isEqualTo(r.items());
            assertThat(r.latency().getTotalCount()).isEqualTo(400);
        }
    }

    @Test
    void nineteenDigitOrderIdsAndBatchIdsAreAcceptedLikeAnyOther() throws Exception {
        // Regression: the generator's random id base can exceed 10^18; the app once refused such ids.
        try (IngestServer server = IngestServer.start(0, 1);
             IngestConnection conn = new IngestConnection(server.port(), Duration.ofSeconds(5))) {
            IngestLoadGenerator.Batch b = IngestLoadGenerator.batch(922_337_203_685_477_000L,
                    1_049_902_428_000_000_000L, 50, new SplittableRandom(5));
            assertThat(conn.exchange(b.request())).isEqualTo(b.expectedReply());
        }
    }

    @Test
    void batchesAreUniqueAndIncludeEveryKindOfLine() {
        SplittableRandom random = new SplittableRandom(3);
        IngestLoadGenerator.Batch a = IngestLoadGenerator.batch(1, 10_000, 2_000, random);
        IngestLoadGenerator.Batch b = IngestLoadGenerator.batch(2, 20_000, 2_000, random);
        String text = new String(a.request(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("BATCH 1 2000\n").contains("\"\"", ", ", "XXX", "\u00eb", "\"unterminated ");
        assertThat(text.lines().count()).isEqualTo(2001);
        assertThat(a.expectedReply()).startsWith("OK 1 ").isNotEqualTo(b.expectedReply());
        String[] fields = a.expectedReply().split(" ");
        assertThat(Integer.parseInt(fields[3])).as("rejected lines").isBetween(20, 120);
    }

    /** Serves the ingest protocol by reading each batch and answering with {@code answer}. */
    private static int serveWrongly(ServerSocket ss, java.util.function.IntFunction<String> corrupt) {
        AtomicInteger n = new AtomicInteger();
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.UTF_8));
                    OutputStream out = s.getOutputStream();
                    String header;
                    while ((header = in.readLine()) != null) {
                        String[] h = header.split(" ");
                        int lines = Integer.parseInt(h[2]);
                        for (int i = 0; i < lines; i++) {
                            in.readLine();
                        }
                        String reply = corrupt.apply(n.incrementAndGet()).replace("ID", h[1]);
                        out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } catch (IOException e) {
                    // next connection
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return ss.getLocalPort();
    }

    @Test
    void wrongTotalsAreContaminationAndGarbageIsAnError() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            int port = serveWrongly(ss, nth -> nth % 2 == 0 ? "OK ID 1 0 1 1 42" : "ERR nope");
            LoadResult r = IngestLoadGenerator.run(new IngestLoadGenerator.Config(port, 40, 1, 10, 1,
                    Duration.ofSeconds(5), Duration.ofSeconds(30)));
            assertThat(r.contaminated()).as(r.summary()).isEqualTo(20);
            assertThat(r.errors()).isEqualTo(20);
            assertThat(r.ok()).isZero();
            assertThat(r.problems()).anySatisfy(p -> assertThat(p).startsWith("CONTAMINATED"));
        }
    }
}
