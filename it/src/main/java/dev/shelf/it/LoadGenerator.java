package dev.shelf.it;

import dev.shelf.it.ClientLoop.Outcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Drives the sample app's {@code POST /parse} with a bounded number of unique requests from concurrent clients, and
 * checks every answer.
 *
 * <p>Each request carries an id no other request of the run has and a random number of tokens
 * ({@code 0..maxTokens}) whose values embed that id, so no two bodies are alike. The server answers with the id,
 * the token count and a digest of the token text it parsed into its (possibly pooled) request object; the generator
 * compares all three with what it sent. A mismatch on a 200 response is <em>contamination</em>: state leaking from one request into another, which
 * is exactly how a pool that re-initialises objects badly, or hands one object out twice, would show. Varying the
 * token count widely makes leftovers visible: text that was not emptied inflates the count and changes the digest,
 * a reused id shows up as a wrong id.
 *
 * <p>Bounded on purpose: a fixed request count and a deadline, never an open-ended soak, so that a test or demo
 * always ends; loopback only, so it can never be pointed at anything but a local test server.
 */
public final class LoadGenerator {

    /** 64-bit FNV-1a offset basis and prime: the answer's digest. */
    static final long FNV_OFFSET = 0xcbf29ce484222325L;
    static final long FNV_PRIME = 0x100000001b3L;

    /**
     * What to run.
     *
     * @param port        the sample app's port on 127.0.0.1
     * @param requests    total requests, shared among the clients
     * @param concurrency concurrent clients, each with its own keep-alive connection
     * @param maxTokens   each request has a uniformly random number of tokens in {@code 0..maxTokens}
     * @param seed        seeds ids and token counts, so a run can be repeated
     * @param timeout     per-request timeout (connect and each read)
     * @param deadline    the whole run's budget; requests not started by then count as errors
     */
    public record Config(int port, int requests, int concurrency, int maxTokens, long seed, Duration timeout,
                         Duration deadline) {

        /**
         * Validates the settings.
         *
         * @param port        the app's port, 1..65535
         * @param requests    total requests, at least 0
         * @param concurrency concurrent clients, at least 1
         * @param maxTokens   most tokens in one request, at least 0
         * @param seed        seeds ids and token counts
         * @param timeout     per-request timeout
         * @param deadline    the whole run's budget
         */
        public Config {
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("bad port " + port);
            }
            if (requests < 0 || concurrency <= 0 || maxTokens < 0) {
                throw new IllegalArgumentException("requests >= 0, concurrency > 0 and maxTokens >= 0 required");
            }
        }

        /**
         * The settings the integration test and the demo use: 16 clients, 0..200 tokens, 10 s per request, 5 minutes
         * for the run, a fresh seed.
         *
         * @param port     the app's port
         * @param requests total requests
         * @return the configuration
         */
        public static Config of(int port, int requests) {
            return new Config(port, requests, 16, 200, System.nanoTime(), Duration.ofSeconds(10),
                    Duration.ofMinutes(5));
        }

        /**
         * The same configuration with another client count.
         *
         * @param n concurrent clients
         * @return a copy
         */
        public Config withConcurrency(int n) {
            return new Config(port, requests, n, maxTokens, seed, timeout, deadline);
        }

        /**
         * The same configuration with another seed.
         *
         * @param s the seed
         * @return a copy
         */
        public Config withSeed(long s) {
            return new Config(port, requests, concurrency, maxTokens, s, timeout, deadline);
        }
    }

    private LoadGenerator() {
    }

    /**
     * Runs the load and waits for it to finish.
     *
     * @param config what to run
     * @return what was observed
     * @throws InterruptedException if interrupted while waiting for the clients
     */
    public static LoadResult run(Config config) throws InterruptedException {
        SplittableRandom master = new SplittableRandom(config.seed());
        // Ids are base + request index: unique within the run, and a random base keeps two runs against the same
        // server (warm-up, then measurement) from sharing ids.
        long idBase = master.nextLong(1L << 40) * 1_000_000L;
        return ClientLoop.run(config.requests(), config.concurrency(), config.deadline(), master, "requests",
                "load-client-", () -> new HttpConnection(config.port(), config.timeout()),
                (conn, i, random, tally, latency) -> {
                    long id = idBase + i;
                    int tokens = random.nextInt(config.maxTokens() + 1);
                    Request request = request(id, tokens, random);
                    tally.items(tokens);
                    long t0 = System.nanoTime();
                    HttpConnection.Response response;
                    try {
                        response = conn.post("/parse", request.body());
                    } catch (IOException e) {
                        tally.problem("request id=" + id + ": " + e);
                        return Outcome.ERROR;
                    }
                    latency.recordValue(System.nanoTime() - t0);
                    return check(response, request, tally);
                });
    }

    private static Outcome check(HttpConnection.Response response, Request request, ClientLoop.Tally tally) {
        long id = request.id();
        if (response.status() != 200) {
            tally.problem("request id=" + id + ": HTTP " + response.status() + " " + response.text());
            return Outcome.ERROR;
        }
        Map<String, Object> answer;
        try {
            answer = Json.parseObject(response.body());
        } catch (IOException e) {
            tally.problem("request id=" + id + ": unreadable response " + response.text());
            return Outcome.ERROR;
        }
        Object gotId = answer.get("id");
        Object gotTokens = answer.get("tokens");
        Object gotDigest = answer.get("digest");
        Object valid = answer.get("valid");
        if (!(gotId instanceof Long) || !(gotTokens instanceof Long) || !(gotDigest instanceof Long)
                || !(valid instanceof Boolean)) {
            tally.problem("request id=" + id + ": response lacks id/tokens/digest/valid: " + response.text());
            return Outcome.ERROR;
        }
        if ((Long) gotId != id || (Long) gotTokens != request.tokens() || (Long) gotDigest != request.digest()
                || !(Boolean) valid) {
            tally.problem("CONTAMINATED: sent id=" + id + " tokens=" + request.tokens() + " digest="
                    + request.digest() + ", got " + response.text());
            return Outcome.CONTAMINATED;
        }
        return Outcome.OK;
    }

    /** One request body and the answer a correct server gives to it. */
    record Request(byte[] body, long id, int tokens, long digest) {
    }

    /**
     * Builds one unique request body: {@code {"id":<id>,"tokens":["<id>-0-xxxx", ...]}}, and the digest of its tokens
     * as the server must compute it (64-bit FNV-1a over each token's UTF-16 units followed by U+001F, computed here
     * independently of the app's code).
     *
     * @param id     the request's id
     * @param tokens how many tokens
     * @param random varies each token's length a little, so that bodies differ in size as well as content
     * @return the body and the expected answer
     */
    static Request request(long id, int tokens, SplittableRandom random) {
        String prefix = Long.toString(id, 36);
        StringBuilder sb = new StringBuilder(24 + tokens * 20).append("{\"id\":").append(id).append(",\"tokens\":[");
        long digest = FNV_OFFSET;
        for (int j = 0; j < tokens; j++) {
            if (j > 0) {
                sb.append(',');
            }
            int tokenStart = sb.length() + 1;
            sb.append('"').append(prefix).append('-').append(j).append('-');
            for (int k = random.nextInt(1, 9); k > 0; k--) {
                sb.append((char) ('a' + random.nextInt(26)));
            }
            for (int c = tokenStart; c < sb.length(); c++) {
                digest = (digest ^ sb.charAt(c)) * FNV_PRIME;
            }
            digest = (digest ^ 0x1f) * FNV_PRIME;
            sb.append('"');
        }
        byte[] body = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        return new Request(body, id, tokens, digest);
    }

    /**
     * Builds one unique request body (see {@link #request}).
     *
     * @param id     the request's id
     * @param tokens how many tokens
     * @param random varies each token's length
     * @return the UTF-8 body
     */
    static byte[] body(long id, int tokens, SplittableRandom random) {
        return request(id, tokens, random).body();
    }
}
