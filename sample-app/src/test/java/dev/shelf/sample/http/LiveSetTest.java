package dev.shelf.sample.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The session store behind {@code --live-set}: its size, its turnover, and that it leaves requests alone. */
class LiveSetTest {

    private static final long MIB = 1024 * 1024;

    /** Heap in use after full collections, so that only reachable objects count. */
    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static ParseRequest parsed(String json) throws Exception {
        ParseRequest req = new ParseRequest();
        RequestParser parser = new RequestParser();
        parser.readBody(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), req);
        parser.parse(req);
        return req;
    }

    @Test
    void aStoreOfNMibTakesAboutNMibOfHeap() throws Exception {
        long before = usedAfterGc();
        LiveSet store = LiveSet.filled(48);
        long after = usedAfterGc();
        double mib = (after - before) / (double) MIB;
        assertThat(store.estimatedBytes() / (double) MIB).isCloseTo(48, within(1.0));
        // The estimate is arithmetic on HotSpot's layout; this is the heap the JVM actually needed for it.
        assertThat(mib).as("heap taken by a 48 MiB live set, MiB").isBetween(48 * 0.85, 48 * 1.15);
        assertThat(store.size()).isEqualTo(store.capacity());
        Reference.reachabilityFence(store);
    }

    @Test
    void sessionSizesFollowTheReferenceAndHeaderSizes() {
        // entry 40 + Long 24 + Session 56 + label 24 + 24 + state 80 with 4-byte references and 12-byte headers
        assertThat(new LiveSet.Layout(4, 12).sessionBytes()).isEqualTo(248);
        // ZGC: 8-byte references
        assertThat(new LiveSet.Layout(8, 12).sessionBytes()).isEqualTo(56 + 24 + 64 + 32 + 24 + 80);
        LiveSet.Layout layout = new LiveSet.Layout(4, 12);
        int n = layout.sessionsFor(100 * MIB);
        assertThat(layout.storeBytes(n)).isLessThanOrEqualTo(100 * MIB).isGreaterThan(100 * MIB - 2 * 248);
    }

    @Test
    void eachRequestInsertsSessionsAndTheOldestAreEvicted() throws Exception {
        LiveSet store = LiveSet.filled(1);
        int capacity = store.capacity();
        assertThat(capacity).isGreaterThan(1000);
        assertThat(store.inserted()).isEqualTo(capacity);
        assertThat(store.contains(0)).isTrue();

        ParseRequest req = parsed("{\"id\": 7, \"tokens\": [\"a\"]}");
        int requests = capacity; // turns the whole store over twice
        for (int i = 0; i < requests; i++) {
            store.record(req);
        }
        assertThat(store.inserted()).isEqualTo(capacity + (long) requests * LiveSet.INSERTS_PER_REQUEST);
        // Bounded: each segment holds at most its share, rounded up.
        assertThat(store.size()).isBetween(capacity, capacity + LiveSet.SEGMENTS);
        assertThat(store.contains(0)).as("the first session, long evicted").isFalse();
        assertThat(store.contains(store.inserted() - 1)).as("the newest session").isTrue();
    }

    @Test
    void recordingReadsTheRequestAndChangesNothingInIt() throws Exception {
        LiveSet store = LiveSet.filled(1);
        ParseRequest req = parsed("{\"id\": 123, \"tokens\": [\"x\", \"yy\"]}");
        ParseAnswer.render(req);
        String answer = new String(req.response, 0, req.responseLength, StandardCharsets.US_ASCII);
        byte[] body = req.body.clone();
        for (int i = 0; i < 1000; i++) {
            store.record(req);
        }
        assertThat(req.id).isEqualTo(123);
        assertThat(req.tokens).isEqualTo(2);
        assertThat(req.tokenText.toString()).isEqualTo("x\u001fyy\u001f");
        assertThat(req.body).isEqualTo(body);
        ParseAnswer.render(req);
        assertThat(new String(req.response, 0, req.responseLength, StandardCharsets.US_ASCII)).isEqualTo(answer);
    }

    @Test
    void noLiveSetRecordsNothing() throws Exception {
        LiveSet.NONE.record(parsed("{\"id\": 1, \"tokens\": []}"));
        assertThat(LiveSet.filled(0)).isSameAs(LiveSet.NONE);
        assertThat(LiveSet.NONE.inserted()).isZero();
        assertThat(LiveSet.NONE.size()).isZero();
        assertThat(LiveSet.NONE.contains(0)).isFalse();
    }
}
