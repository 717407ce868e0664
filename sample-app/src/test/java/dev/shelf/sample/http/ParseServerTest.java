package dev.shelf.sample.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.shelf.sample.Digest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server end to end, in-process and without the agent: what the integration tests check under load, here for
 * a handful of requests so that a broken handler fails fast in the module's own build.
 */
class ParseServerTest {

    private static ParseServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        server = ParseServer.start(0, 4);
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Flat JSON object to map; enough for the responses here (nested values are skipped). */
    private static Map<String, Object> flat(String json) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (v) {
                    case VALUE_NUMBER_INT -> out.put(name, p.getLongValue());
                    case VALUE_NUMBER_FLOAT -> out.put(name, p.getDoubleValue());
                    case VALUE_TRUE, VALUE_FALSE -> out.put(name, p.getBooleanValue());
                    case VALUE_STRING -> out.put(name, p.getText());
                    case START_ARRAY -> {
                        int n = 0;
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            p.skipChildren();
                            n++;
                        }
                        out.put(name + ".size", n);
                    }
                    default -> p.skipChildren();
                }
            }
        }
        return out;
    }

    /** The answer to {@link #body(long, int)}: the same tokens, counted and digested. */
    static String answer(long id, int tokens) {
        long digest = Digest.START;
        for (int i = 0; i < tokens; i++) {
            digest = Digest.addPart(digest, "t" + id + "-" + i);
        }
        return "{\"id\":" + id + ",\"tokens\":" + tokens + ",\"digest\":" + digest + ",\"valid\":true}";
    }

    static String body(long id, int tokens) {
        StringBuilder sb = new StringBuilder("{\"id\":").append(id).append(",\"tokens\":[");
        for (int i = 0; i < tokens; i++) {
            sb.append(i == 0 ? "" : ",").append("\"t").append(id).append('-').append(i).append('"');
        }
        return sb.append("]}").toString();
    }

    @Test
    void answersFromTheParsedRequest() throws Exception {
        HttpResponse<String> r = post("/parse", "{\"id\": 12345, \"tokens\": [\"a\",\"bb\",\"ccc\"]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        long digest = Digest.addPart(Digest.addPart(Digest.addPart(Digest.START, "a"), "bb"), "ccc");
        assertThat(r.body()).isEqualTo("{\"id\":12345,\"tokens\":3,\"digest\":" + digest + ",\"valid\":true}");
    }

    @Test
    void incompleteRecordIsInvalidNotAnError() throws Exception {
        HttpResponse<String> r = post("/parse", "{\"id\": 8}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"id\":8,\"tokens\":0,\"digest\":" + Digest.START + ",\"valid\":false}");
    }

    @Test
    void malformedBodyIs400WithAMessage() throws Exception {
        HttpResponse<String> r = post("/parse", "{\"id\": 1, \"tokens\": [\"a\"");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat((String) flat(r.body()).get("error")).startsWith("malformed JSON");
    }

    @Test
    void serverKeepsServingAfterBadRequests() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(post("/parse", "garbage " + i).statusCode()).isEqualTo(400);
            assertThat(post("/parse", body(1000 + i, i)).body()).isEqualTo(answer(1000 + i, i));
        }
    }

    @Test
    void bodyLargerThanTheInitialBufferIsParsedWhole() throws Exception {
        String big = body(77, 3_000); // ~30 KiB
        assertThat(big.length()).isGreaterThan(ParseRequest.DEFAULT_BODY_CAPACITY);
        assertThat(post("/parse", big).body()).isEqualTo(answer(77, 3_000));
    }

    @Test
    void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String b = body(5_000 + i, i % 50);
                futures.add(pool.submit(() -> post("/parse", b)));
            }
            for (int i = 0; i < futures.size(); i++) {
                HttpResponse<String> r = futures.get(i).get();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo(answer(5_000 + i, i % 50));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void wrongMethodsAre405() throws Exception {
        HttpResponse<String> r = get("/parse");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertThat(post("/stats", "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void statsWithoutAgentReportInactiveAndNoPools() throws Exception {
        post("/parse", body(1, 1));
        HttpResponse<String> r = get("/stats");
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Object> stats = flat(r.body());
        assertThat(stats).containsEntry("app", "http-parse")
                .containsEntry("active", false)
                .containsEntry("acquired", 0L)
                .containsEntry("reused", 0L)
                .containsEntry("pools.size", 0)
                .containsEntry("handlerAllocatedBytesScope", ParseHandler.HANDLER_SCOPE)
                .containsKeys("allocated", "released", "dropped", "hitRatio", "gcCount", "gcTimeMillis",
                        "allocatedBytesScope", "collectors", "javaVersion");
        long requests = (Long) stats.get("requests");
        assertThat(requests).isPositive().isEqualTo((Long) stats.get("items"));
        assertThat((Long) stats.get("allocatedBytes")).isPositive();
        // Without the agent every parse request allocates at least its fresh 16 KiB body buffer inside the handler.
        assertThat((Long) stats.get("handlerAllocatedBytes"))
                .isGreaterThanOrEqualTo(requests * ParseRequest.DEFAULT_BODY_CAPACITY);
    }
}
