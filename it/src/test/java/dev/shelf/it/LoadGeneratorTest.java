package dev.shelf.it;

import com.sun.net.httpserver.HttpServer;
import dev.shelf.sample.Digest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator's checks against stand-in servers, so that "zero contaminated responses" in the integration
 * test is known to mean something: a server that answers wrongly is caught, and counted as contamination rather
 * than as an error (or not at all).
 */
class LoadGeneratorTest {

    static {
        // As in the sample app: without TCP_NODELAY the JDK server's separate header and body writes meet the
        // client's delayed ACK, and every request takes ~40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private HttpServer server;
    private ExecutorService executor;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /** Starts a stub /parse that counts tokens by counting quoted strings, and lets {@code answer} distort it. */
    private int serve(Answer answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        AtomicInteger n = new AtomicInteger();
        server.createContext("/parse", ex -> {
            try (ex) {
                Map<String, Object> req = Json.parseObject(ex.getRequestBody().readAllBytes());
                long id = (Long) req.get("id");
                java.util.List<?> list = (java.util.List<?>) req.get("tokens");
                long digest = Digest.START; // the app's own digest code: client and app must agree
                for (Object t : list) {
                    digest = Digest.addPart(digest, (String) t);
                }
                String body = answer.answer(n.incrementAndGet(), id, list.size(), digest);
                if (body == null) {
                    ex.sendResponseHeaders(500, -1);
                    return;
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    @FunctionalInterface
    private interface Answer {
        /** @return the response body, or null for a 500 */
        String answer(int nth, long id, int tokens, long digest);
    }

    private static String right(long id, int tokens, long digest) {
        return "{\"id\":" + id + ",\"tokens\":" + tokens + ",\"digest\":" + digest + ",\"valid\":true}";
    }

    private static LoadGenerator.Config config(int port, int requests) {
        return new LoadGenerator.Config(port, requests, 4, 50, 42, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void correctServerYieldsOnlyOk() throws Exception {
        int port = serve((nth, id, tokens, digest) -> right(id, tokens, digest));
        LoadResult r = LoadGenerator.run(config(port, 500));
        assertThat(r.ok()).as(r.summary()).isEqualTo(500);
        assertThat(r.contaminated()).isZero();
        assertThat(r.errors()).isZero();
        assertThat(r.latency().getTotalCount()).isEqualTo(500);
        assertThat(r.problems()).isEmpty();
        assertThat(r.items()).as("tokens sent").isPositive();
    }

    @Test
    void leftoverTokensWrongIdsAndInvalidFlagsCountAsContamination() throws Exception {
        int port = serve((nth, id, tokens, digest) -> switch (nth % 10) {
            case 3 -> right(id, tokens + 1, digest); // count off: text not cleared
            case 5 -> right(id, tokens, digest ^ 1); // same count, different text: a leftover token's characters
            case 6 -> right(id - 1, tokens, digest); // someone else's id
            case 9 -> "{\"id\":" + id + ",\"tokens\":" + tokens + ",\"digest\":" + digest + ",\"valid\":false}";
            default -> right(id, tokens, digest);
        });
        LoadResult r = LoadGenerator.run(config(port, 1000));
        assertThat(r.contaminated()).as(r.summary()).isEqualTo(400);
        assertThat(r.ok()).isEqualTo(600);
        assertThat(r.errors()).isZero();
        assertThat(r.problems()).isNotEmpty().allSatisfy(p -> assertThat(p).startsWith("CONTAMINATED"));
    }

    @Test
    void failuresAndGarbageCountAsErrors() throws Exception {
        int port = serve((nth, id, tokens, digest) -> switch (nth % 4) {
            case 1 -> null; // HTTP 500
            case 2 -> "not json";
            default -> right(id, tokens, digest);
        });
        LoadResult r = LoadGenerator.run(config(port, 400));
        assertThat(r.errors()).as(r.summary()).isEqualTo(200);
        assertThat(r.ok()).isEqualTo(200);
        assertThat(r.contaminated()).isZero();
    }

    @Test
    void unreachableServerCountsEveryRequestAsAnError() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there now
        }
        LoadResult r = LoadGenerator.run(config(port, 20));
        assertThat(r.errors()).isEqualTo(20);
        assertThat(r.ok()).isZero();
    }

    @Test
    void bodiesAreUniqueAndCarryTheAnnouncedTokenCount() throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        Map<String, Object> a = Json.parseObject(LoadGenerator.body(100, 7, random));
        Map<String, Object> b = Json.parseObject(LoadGenerator.body(101, 0, random));
        assertThat(a).containsEntry("id", 100L);
        assertThat((java.util.List<?>) a.get("tokens")).hasSize(7).doesNotHaveDuplicates()
                .allSatisfy(t -> assertThat((String) t).startsWith(Long.toString(100, 36) + "-"));
        assertThat((java.util.List<?>) b.get("tokens")).isEmpty();
    }
}
