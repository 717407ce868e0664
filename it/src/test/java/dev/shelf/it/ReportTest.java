package dev.shelf.it;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The report's figures are computed from snapshot differences, and all three files are written. */
class ReportTest {

    private static ServerStats stats(boolean active, long requests, long items, long bytes, long handlerBytes,
                                     long gcCount, long gcMillis, long acquired, long reused, long cpuNanos) {
        List<ServerStats.Pool> pools = active ? List.of(new ServerStats.Pool(ServerStats.PARSE_REQUEST, 64, acquired,
                reused, acquired - reused, acquired, 0, 8, acquired == 0 ? 0 : (double) reused / acquired)) : List.of();
        return new ServerStats("http-parse", active, acquired, reused, acquired - reused, acquired, 0, 0.0, pools,
                requests, items, bytes, "all-threads", handlerBytes, "scope words", gcCount, gcMillis, "G1",
                "17.0.15", 2, 128 << 20, 256 << 20, 100 << 20, cpuNanos, 1000);
    }

    private static Run run(boolean agent, long bytesPerRequest, long handlerPerRequest, long reusedInWindow) {
        return run(agent, bytesPerRequest, handlerPerRequest, reusedInWindow, 1_000_000_000L, 100_000);
    }

    private static Run run(boolean agent, long bytesPerRequest, long handlerPerRequest, long reusedInWindow,
                           long elapsedNanos, long cpuNanosPerRequest) {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 10_000L); // 0.01 .. 10 ms
        }
        LoadResult load = new LoadResult(1000, 1000, 0, 0, 5000, elapsedNanos, h, List.of());
        // Warm-up of 500 requests already counted in "before"; its allocation must not enter any figure.
        ServerStats before = stats(agent, 500, 500, 999_999_999, 888_888_888, 3, 30, agent ? 500 : 0,
                agent ? 490 : 0, 7_000_000_000L);
        ServerStats after = stats(agent, 1500, 1500, 999_999_999 + 1000 * bytesPerRequest,
                888_888_888 + 1000 * handlerPerRequest, 5, 45, agent ? 1500 : 0, agent ? 490 + reusedInWindow : 0,
                7_000_000_000L + 1000 * cpuNanosPerRequest);
        return new Run(App.HTTP, agent, App.HTTP.defaultWorkload(), load, before, after, false, 500);
    }

    private static Comparison comparison() {
        return new Comparison(App.HTTP, "local process, JDK 17.0.15", Launcher.DEFAULT_JVM_ARGS, 256 << 20,
                App.HTTP.defaultWorkload().withRequests(1000),
                new ModeSummary(App.HTTP, false, List.of(run(false, 40_000, 30_000, 0))),
                new ModeSummary(App.HTTP, true, List.of(run(true, 20_000, 3_000, 999))));
    }

    @Test
    void figuresAreDifferencesOverTheMeasuredWindow() {
        Comparison c = comparison();
        assertThat(c.without().bytesPerRequest()).isEqualTo(40_000);
        assertThat(c.with().handlerBytesPerRequest()).isEqualTo(3_000);
        assertThat(c.handlerBytesRatio()).isCloseTo(0.1, within(1e-9));
        assertThat(c.processBytesRatio()).isCloseTo(0.5, within(1e-9));
        assertThat(c.assertedScope()).isEqualTo("handler");
        assertThat(c.with().pool(ServerStats.PARSE_REQUEST).acquired()).isEqualTo(1000);
        assertThat(c.with().pool(ServerStats.PARSE_REQUEST).hitRatio()).isCloseTo(0.999, within(1e-9));
        assertThat(c.with().gcCount()).isEqualTo(2);
        assertThat(c.with().gcTimeMillis()).isEqualTo(15);
        assertThat(c.with().throughput()).isCloseTo(1000, within(1e-6));
        assertThat(c.with().latencyMillis(50)).isCloseTo(5.0, within(0.01));
        assertThat(c.with().cpuMicrosPerRequest()).isCloseTo(100, within(1e-9));
    }

    @Test
    void perRunThroughputIsSummarisedByMedianAndRange() {
        // Three runs of 1000 requests in 1 s, 2 s and 4 s: 1000, 500 and 250 requests/s.
        ModeSummary m = new ModeSummary(App.HTTP, true, List.of(run(true, 1, 1, 999, 1_000_000_000L, 100),
                run(true, 1, 1, 999, 4_000_000_000L, 300), run(true, 1, 1, 999, 2_000_000_000L, 200)));
        assertThat(m.runThroughputs()).containsExactly(1000.0, 250.0, 500.0);
        assertThat(m.medianRunThroughput()).isEqualTo(500.0);
        assertThat(m.throughput()).as("all requests over all time").isCloseTo(3000 / 7.0, within(1e-9));
        assertThat(m.cpuMicrosPerRequest()).isCloseTo(0.2, within(1e-9));
        assertThat(m.medianRunCpuMicrosPerRequest()).isCloseTo(0.2, within(1e-9));
    }

    @Test
    void writesMarkdownJsonAndAChart(@TempDir Path dir) throws Exception {
        Report report = new Report("test report").add(comparison()).add(comparison());
        String md = report.writeTo(dir);
        assertThat(md).contains("### http-parse · local process, JDK 17.0.15",
                "| allocated bytes / request, app's handling ¹ **asserted** | 30,000 | 3,000 | **10.0%** |",
                "| allocated bytes / request, whole process ² | 40,000 | 20,000 | 50.0% |",
                "| pool hit ratio, ParseRequest ³ | – | 0.9990 (1000) |  |",
                "| container memory peak / limit (MiB) | 100 / 256 | 100 / 256 |  |");
        assertThat(Files.readString(dir.resolve("report.md"), StandardCharsets.UTF_8)).isEqualTo(md);

        Map<String, Object> json = Json.parseObject(Files.readAllBytes(dir.resolve("report.json")));
        assertThat(json).containsEntry("title", "test report");
        assertThat((List<?>) json.get("comparisons")).hasSize(2);

        BufferedImage png = ImageIO.read(dir.resolve("latency.png").toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isGreaterThan(1000); // two panels side by side
        int distinct = (int) java.util.stream.IntStream.range(0, png.getWidth()).map(x -> png.getRGB(x,
                png.getHeight() / 2)).distinct().count();
        assertThat(distinct).as("the chart has content, not a blank image").isGreaterThan(3);
    }
}
