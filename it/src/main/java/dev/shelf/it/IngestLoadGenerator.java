package dev.shelf.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Drives the ingest app with a bounded number of unique batches of CSV order lines from concurrent clients, and
 * checks every reply against totals computed here, independently of the app's code.
 *
 * <p>Each batch has {@code 1..maxLines} lines; every line has an order id no other line of the run has, and a
 * random customer (some with non-ASCII names), SKU, quantity, price, currency and note (some quoted, with commas and
 * doubled quotes). About 3% of the lines are deliberately invalid in one of several ways (zero quantity, unknown
 * currency, a malformed number, a missing field, an unterminated quote), so the app's rejection path runs too. The
 * expected reply is {@code OK <batchId> <accepted> <rejected> <quantity> <amountEurCents> <digest>}, the digest
 * covering every accepted line's order id, customer, SKU, quantity, amount and note: a line left over from another
 * batch, a field with leftover characters or a wrongly reset counter changes it. A well-formed {@code OK} reply that
 * differs is <em>contamination</em>; anything else that is not the expected reply is an error.
 *
 * <p>Bounded on purpose, like {@link LoadGenerator}: a fixed batch count and a deadline; loopback only.
 */
public final class IngestLoadGenerator {

    /** Stride between batches' order ids: more than any batch's line count. */
    private static final long IDS_PER_BATCH = 10_000;

    /** The app's currencies and their rates (euro basis points per unit), restated here on purpose. */
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "CHF", "SEK", "JPY"};
    private static final long[] RATES = {10_000, 9_200, 11_700, 10_400, 870, 62};

    private static final String[] NAMES = {"cust", "Zo\u00eb", "\u0141ukasz", "\u6771\u4eac", "Ana\u00efs",
            "J\u00fcrgen"};
    private static final String[] WORDS = {"gift", "wrap", "express", "fragile", "leave at door", "call first",
            "second floor", "no invoice", "bulk", "repeat order"};

    /**
     * What to run.
     *
     * @param port        the app's port on 127.0.0.1
     * @param batches     total batches, shared among the clients
     * @param concurrency concurrent clients, each with its own connection
     * @param maxLines    each batch has a uniformly random number of lines in {@code 1..maxLines}
     * @param seed        seeds ids and contents, so a run can be repeated
     * @param timeout     per-exchange timeout
     * @param deadline    the whole run's budget; batches not started by then count as errors
     */
    public record Config(int port, int batches, int concurrency, int maxLines, long seed, Duration timeout,
                         Duration deadline) {

        /** Validates. */
        public Config {
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("bad port " + port);
            }
            if (batches < 0 || concurrency <= 0 || maxLines < 1 || maxLines >= IDS_PER_BATCH) {
                throw new IllegalArgumentException("batches >= 0, concurrency > 0 and 1 <= maxLines < "
                        + IDS_PER_BATCH + " required");
            }
        }
    }

    /** One batch as sent, and the reply a correct app gives. */
    record Batch(byte[] request, int lines, String expectedReply) {
    }

    private IngestLoadGenerator() {
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
        long idBase = master.nextLong(1L << 30) * 1_000_000_000L; // distinct between runs against one app
        return ClientLoop.run(config.batches(), config.concurrency(), config.deadline(), master, "batches",
                "ingest-client-", () -> new IngestConnection(config.port(), config.timeout()),
                (conn, i, random, tally, latency) -> {
                    long batchId = idBase / IDS_PER_BATCH + i;
                    Batch batch = batch(batchId, idBase + i * IDS_PER_BATCH, random.nextInt(1, config.maxLines() + 1),
                            random);
                    tally.items(batch.lines());
                    long t0 = System.nanoTime();
                    String reply;
                    try {
                        reply = conn.exchange(batch.request());
                    } catch (IOException e) {
                        tally.problem("batch " + batchId + ": " + e);
                        return ClientLoop.Outcome.ERROR;
                    }
                    latency.recordValue(System.nanoTime() - t0);
                    if (reply.equals(batch.expectedReply())) {
                        return ClientLoop.Outcome.OK;
                    }
                    if (reply.startsWith("OK " + batchId + " ")) {
                        tally.problem("CONTAMINATED: batch " + batchId + " expected '" + batch.expectedReply()
                                + "', got '" + reply + "'");
                        return ClientLoop.Outcome.CONTAMINATED;
                    }
                    tally.problem("batch " + batchId + ": expected '" + batch.expectedReply() + "', got '" + reply
                            + "'");
                    return ClientLoop.Outcome.ERROR;
                });
    }

    /**
     * Builds one batch and its expected reply.
     *
     * @param batchId     the batch's id
     * @param firstOrder  the first line's order id; the others follow
     * @param lines       how many lines
     * @param random      varies the contents
     * @return the batch
     */
    static Batch batch(long batchId, long firstOrder, int lines, SplittableRandom random) {
        StringBuilder sb = new StringBuilder(64 + lines * 96);
        sb.append("BATCH ").append(batchId).append(' ').append(lines).append('\n');
        int accepted = 0;
        int rejected = 0;
        long quantity = 0;
        long amount = 0;
        long digest = LoadGenerator.FNV_OFFSET;
        for (int j = 0; j < lines; j++) {
            long orderId = firstOrder + j;
            long timestamp = 1_767_225_600_000L + random.nextLong(86_400_000L);
            String customer = NAMES[random.nextInt(NAMES.length)] + "-" + random.nextInt(100_000);
            String sku = "SKU-" + Long.toString(random.nextLong(1L << 30), 36).toUpperCase(java.util.Locale.ROOT);
            long qty = random.nextInt(1, 51);
            long price = random.nextInt(1, 50_001);
            int currency = random.nextInt(CURRENCIES.length);
            String note = note(orderId, random);
            int invalid = random.nextInt(100) < 3 ? 1 + random.nextInt(5) : 0;
            sb.append(orderId).append(',').append(timestamp).append(',').append(csv(customer)).append(',')
                    .append(csv(sku)).append(',');
            switch (invalid) {
                case 1 -> sb.append(0); // zero quantity
                case 4 -> sb.append(qty).append('x'); // not a number
                default -> sb.append(qty);
            }
            sb.append(',').append(price).append(',').append(invalid == 2 ? "XXX" : CURRENCIES[currency]);
            if (invalid == 3) {
                sb.append('\n'); // a missing field: only 7
            } else if (invalid == 5) {
                sb.append(",\"unterminated ").append(orderId).append('\n');
            } else {
                sb.append(',').append(csv(note)).append('\n');
            }
            if (invalid != 0) {
                rejected++;
                continue;
            }
            long lineAmount = Math.floorDiv(qty * price * RATES[currency], 10_000L);
            accepted++;
            quantity += qty;
            amount += lineAmount;
            digest = part(digest, orderId);
            digest = part(digest, customer);
            digest = part(digest, sku);
            digest = part(digest, qty);
            digest = part(digest, lineAmount);
            digest = part(digest, note);
        }
        String expected = "OK " + batchId + " " + accepted + " " + rejected + " " + quantity + " " + amount + " "
                + digest;
        return new Batch(sb.toString().getBytes(StandardCharsets.UTF_8), lines, expected);
    }

    private static String note(long orderId, SplittableRandom random) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return "";
        }
        String word = WORDS[random.nextInt(WORDS.length)];
        String id = Long.toString(orderId, 36);
        if (kind < 7) {
            return word + " " + id;
        }
        if (kind < 9) {
            return word + ", " + WORDS[random.nextInt(WORDS.length)] + ", ref " + id; // commas: quoted
        }
        return "say \"" + word + "\" " + id; // quotes: quoted, doubled
    }

    /** A CSV field: quoted (with doubled quotes) when it holds a comma or a quote. */
    private static String csv(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static long part(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * LoadGenerator.FNV_PRIME;
        }
        return (h ^ 0x1f) * LoadGenerator.FNV_PRIME;
    }

    private static long part(long h, long v) {
        for (int i = 0; i < 8; i++) {
            h = (h ^ ((v >>> (8 * i)) & 0xff)) * LoadGenerator.FNV_PRIME;
        }
        return (h ^ 0x1f) * LoadGenerator.FNV_PRIME;
    }
}
