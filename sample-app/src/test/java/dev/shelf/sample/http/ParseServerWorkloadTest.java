package dev.shelf.sample.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server with {@code --body-buffer} and {@code --live-set}, end to end and without the agent: big bodies land in
 * the owned buffer, and a live set that every request updates changes no answer.
 */
@Timeout(120)
class ParseServerWorkloadTest {

    private ParseServer server;
    private HttpClient client;

    @BeforeEach
    void client() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        ParseRequest.bodyCapacity = ParseRequest.DEFAULT_BODY_CAPACITY; // static: the other tests expect the default
    }

    private void start(int bodyBuffer, int liveSetMib) throws Exception {
        server = ParseServer.start(new ParseServerOptions(0, 4, false, bodyBuffer, liveSetMib));
    }

    private HttpResponse<String> post(String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/parse")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** {@link ParseServerTest#body} padded with a skipped {@code "payload"} string to exactly {@code size} bytes. */
    static String body(long id, int tokens, int size) {
        String head = ParseServerTest.body(id, tokens);
        StringBuilder sb = new StringBuilder(size).append(head, 0, head.length() - 1).append(",\"payload\":\"");
        sb.append("x".repeat(size - sb.length() - 2)).append("\"}");
        assertThat(sb.toString().getBytes(StandardCharsets.UTF_8)).hasSize(size);
        return sb.toString();
    }

    private long handlerAllocatedBytes() throws Exception {
        String stats = client.send(HttpRequest.newBuilder(uri("/stats")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"handlerAllocatedBytes\":(\\d+)").matcher(stats);
        assertThat(m.find()).as(stats).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void bodiesAsBigAsTheBufferLandInIt() throws Exception {
        int buffer = 256 * 1024;
        start(buffer, 0);
        assertThat(new ParseRequest().body).hasSize(buffer);
        post(body(1, 10, buffer)); // warms up the worker threads' first-use allocations
        long before = handlerAllocatedBytes();
        int requests = 20;
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = post(body(100 + i, i, buffer));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(ParseServerTest.answer(100 + i, i));
        }
        // Without the agent each request allocates its fresh 256 KiB buffer; had the body gone to the overflow
        // array instead, that would add at least another 256 KiB. The per-thread allocation counter is documented
        // as an approximation (one run in four on a busy machine read 0.2% under the buffer), hence the lower margin.
        long perRequest = (handlerAllocatedBytes() - before) / requests;
        assertThat(perRequest).isBetween(buffer - buffer / 16L, buffer + buffer / 2L);
    }

    @Test
    void aTwoMibBufferTakesTwoMibBodies() throws Exception {
        int buffer = 2 * 1024 * 1024; // beyond the default 1 MiB body limit, which grows with the buffer
        start(buffer, 0);
        HttpResponse<String> r = post(body(42, 3, buffer));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(ParseServerTest.answer(42, 3));
        assertThat(post(body(43, 3, buffer + 1)).statusCode()).as("one byte over the limit").isEqualTo(413);
    }

    @Test
    void answersWithALiveSetAreTheAnswersWithout() throws Exception {
        start(ParseRequest.DEFAULT_BODY_CAPACITY, 8);
        LiveSet store = server.liveSet();
        assertThat(store.size()).as("filled before the server listens").isEqualTo(store.capacity()).isPositive();
        long insertedAtStart = store.inserted();
        int requests = 300;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String b = body(9_000 + i, i % 60, 2_000 + 37 * i);
                futures.add(pool.submit(() -> post(b)));
            }
            for (int i = 0; i < requests; i++) {
                HttpResponse<String> r = futures.get(i).get();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(ParseServerTest.answer(9_000 + i, i % 60));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.inserted() - insertedAtStart).isEqualTo((long) requests * LiveSet.INSERTS_PER_REQUEST);
        assertThat(store.size()).isBetween(store.capacity(), store.capacity() + LiveSet.SEGMENTS);
        assertThat(store.contains(insertedAtStart)).as("the first session a request inserted").isTrue();
    }
}
