package dev.shelf.sample;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shelf.ShelfStats;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The stats document's shape, from a hand-made snapshot (without the agent no pool ever exists), and the metrics. */
class StatsDocumentTest {

    @Test
    void writesTotalsPerPoolDetailAndTheAppsCounters() throws Exception {
        ShelfStats stats = new ShelfStats(true, List.of(
                new ShelfStats.PoolStats("dev.shelf.sample.http.ParseRequest", 64, 100, 90, 10, 100, 2, 8)));
        RequestCounters counters = new RequestCounters("the scope");
        counters.handled(1, 1000);
        counters.handled(3, 500);
        counters.handled(2, -1); // unknown allocation is not counted as negative
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            StatsDocument.write(g, "test-app", stats, counters.snapshot());
        }
        assertThat(out.toString())
                .startsWith("{\"app\":\"test-app\",\"active\":true,\"acquired\":100,\"reused\":90,\"allocated\":10,"
                        + "\"released\":100,\"dropped\":2,\"hitRatio\":0.9,\"pools\":[{\"className\":"
                        + "\"dev.shelf.sample.http.ParseRequest\",\"capacity\":64,\"acquired\":100,\"reused\":90,"
                        + "\"allocated\":10,\"released\":100,\"dropped\":2,\"idle\":8,\"hitRatio\":0.9}],"
                        + "\"requests\":3,\"items\":6,\"allocatedBytes\":")
                .contains("\"handlerAllocatedBytes\":1500,\"handlerAllocatedBytesScope\":\"the scope\"",
                        "\"gcCount\":", "\"gcTimeMillis\":", "\"allocatedBytesScope\":", "\"collectors\":",
                        "\"cpuTimeNanos\":", "\"jitCompileMillis\":",
                        "\"javaVersion\":", "\"availableProcessors\":", "\"maxHeapBytes\":");
    }

    @Test
    void processMetricsAreAvailableOnHotSpot() {
        long before = ProcessMetrics.allocatedBytes();
        long threadBefore = ProcessMetrics.currentThreadAllocatedBytes();
        byte[][] garbage = new byte[64][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[16 * 1024];
        }
        assertThat(garbage[63]).hasSize(16 * 1024); // keeps the arrays observably used
        assertThat(before).isPositive();
        assertThat(ProcessMetrics.allocatedBytes()).isGreaterThanOrEqualTo(before + 64 * 16 * 1024);
        assertThat(ProcessMetrics.currentThreadAllocatedBytes()).isGreaterThanOrEqualTo(threadBefore + 64 * 16 * 1024);
        assertThat(ProcessMetrics.allocatedBytesScope()).isIn("all-threads", "live-threads");
        assertThat(ProcessMetrics.gcCount()).isNotNegative();
        assertThat(ProcessMetrics.gcTimeMillis()).isNotNegative();
        assertThat(ProcessMetrics.collectors()).isNotBlank();
        long cpu = ProcessMetrics.cpuTimeNanos();
        long spinUntil = System.nanoTime() + 50_000_000L;
        long spins = 0;
        while (System.nanoTime() < spinUntil) {
            spins++;
        }
        assertThat(spins).isPositive();
        assertThat(cpu).isPositive();
        assertThat(ProcessMetrics.cpuTimeNanos()).as("CPU time after spinning 50 ms").isGreaterThan(cpu);
        assertThat(ProcessMetrics.jitCompileMillis()).as("JIT time on HotSpot").isNotNegative();
    }

    @Test
    void readingTheThreadCounterAllocatesNothing() {
        ProcessMetrics.currentThreadAllocatedBytes(); // warm
        long a = ProcessMetrics.currentThreadAllocatedBytes();
        long b = ProcessMetrics.currentThreadAllocatedBytes();
        assertThat(b - a).isZero();
    }

    @Test
    void digestSeparatesPartsAndMatchesTheJoinedForm() {
        long ab = Digest.addPart(Digest.addPart(Digest.START, "ab"), "c");
        long a = Digest.addPart(Digest.addPart(Digest.START, "a"), "bc");
        assertThat(ab).isNotEqualTo(a);
        assertThat(Digest.ofJoined("ab" + Digest.SEPARATOR + "c" + Digest.SEPARATOR)).isEqualTo(ab);
        assertThat(Digest.addPart(Digest.START, "xabcx", 1, 4)).isEqualTo(Digest.addPart(Digest.START, "abc"));
        assertThat(Digest.addPart(Digest.START, 1L)).isNotEqualTo(Digest.addPart(Digest.START, 256L));
        assertThat(Digest.ofJoined("")).isEqualTo(Digest.START);
    }
}
