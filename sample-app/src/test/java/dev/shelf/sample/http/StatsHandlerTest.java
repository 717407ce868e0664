package dev.shelf.sample.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shelf.ShelfStats;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The /stats document's shape, from a hand-made snapshot (without the agent no pool ever exists). */
class StatsHandlerTest {

    @Test
    void writesTotalsAndPerPoolDetail() throws Exception {
        ShelfStats stats = new ShelfStats(true, List.of(
                new ShelfStats.PoolStats("dev.shelf.sample.http.ParseRequest", 64, 100, 90, 10, 100, 2, 8)));
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            StatsHandler.write(g, stats, 123);
        }
        assertThat(out.toString())
                .startsWith("{\"active\":true,\"acquired\":100,\"reused\":90,\"allocated\":10,\"released\":100,"
                        + "\"dropped\":2,\"hitRatio\":0.9,\"pools\":[{\"className\":\"dev.shelf.sample.http.ParseRequest\","
                        + "\"capacity\":64,\"acquired\":100,\"reused\":90,\"allocated\":10,\"released\":100,"
                        + "\"dropped\":2,\"idle\":8,\"hitRatio\":0.9}],\"parseRequests\":123,\"allocatedBytes\":")
                .contains("\"gcCount\":", "\"gcTimeMillis\":", "\"allocatedBytesScope\":");
    }

    @Test
    void processMetricsAreAvailableOnHotSpot() {
        long before = ProcessMetrics.allocatedBytes();
        byte[][] garbage = new byte[64][];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = new byte[16 * 1024];
        }
        assertThat(garbage[63]).hasSize(16 * 1024); // keeps the arrays observably used
        assertThat(before).isPositive();
        assertThat(ProcessMetrics.allocatedBytes()).isGreaterThanOrEqualTo(before + 64 * 16 * 1024);
        assertThat(ProcessMetrics.allocatedBytesScope()).isIn("all-threads", "live-threads");
        assertThat(ProcessMetrics.gcCount()).isNotNegative();
        assertThat(ProcessMetrics.gcTimeMillis()).isNotNegative();
    }
}
