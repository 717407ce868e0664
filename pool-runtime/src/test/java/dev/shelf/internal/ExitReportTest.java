package dev.shelf.internal;

import dev.shelf.ShelfStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The exit report: order, advisories, the text on standard error and the JSON file. */
class ExitReportTest {

    private static final SizeEstimate BIG = new SizeEstimate(40, 16_400, 1, true, true);
    private static final SizeEstimate TINY = new SizeEstimate(24, 0, 0, false, true);

    private static ExitReport.Row row(String name, long acquired, long reused, long released, long dropped,
                                      SizeEstimate size) {
        ShelfStats.PoolStats s = new ShelfStats.PoolStats(name, 64, acquired, reused, acquired - reused, released,
                dropped, 3, 1, 256);
        return new ExitReport.Row(name, "app@1", s, 0, size, List.of());
    }

    @Test
    void rowsAreSortedByEstimatedBytesSaved() {
        ExitReport r = new ExitReport(List.of(
                row("a.Tiny", 1_000_000, 100_000, 1_000_000, 0, TINY),
                row("a.Unknown", 10, 5, 10, 0, null),
                row("a.Big", 1_000, 900, 1_000, 0, BIG)));
        assertThat(r.rows()).extracting(ExitReport.Row::className).containsExactly("a.Big", "a.Tiny", "a.Unknown");
        assertThat(r.rows().get(0).bytesSaved()).isEqualTo(900L * 16_440);
        assertThat(r.rows().get(2).bytesSaved()).as("unknown size").isEqualTo(-1);
    }

    @Test
    void aPoolThatGetsNothingBackIsCalledOut() {
        assertThat(advice(row("a.Leaky", 1_000, 0, 49, 0, BIG))).containsExactly(ExitReport.Advice.NOTHING_COMES_BACK);
        assertThat(advice(row("a.Fine", 1_000, 0, 50, 0, BIG))).as("5% come back").isEmpty();
        assertThat(advice(row("a.Startup", 19, 0, 0, 0, BIG))).as("too few to tell").isEmpty();
        assertThat(ExitReport.advise(row("a.Leaky", 1_000, 0, 0, 0, BIG)).get(0).message())
                .startsWith("nothing comes back: pooling only costs here (acquired 1000, released 0)");
    }

    @Test
    void smallObjectsThatOwnNothingAreCalledOut() {
        assertThat(advice(row("a.Tiny", 100, 90, 100, 0, TINY))).containsExactly(ExitReport.Advice.SMALL_OBJECTS);
        assertThat(advice(row("a.TinyWithList", 100, 90, 100, 0, new SizeEstimate(24, 0, 0, true, true))))
                .isEmpty();
        assertThat(advice(row("a.Unused", 0, 0, 0, 0, TINY))).as("never acquired: nothing to say").isEmpty();
        assertThat(advice(row("a.Unknown", 100, 90, 100, 0, null))).isEmpty();
    }

    @Test
    void aPoolThatIsAlwaysFullIsCalledOut() {
        assertThat(advice(row("a.Full", 1_000, 500, 1_000, 101, BIG)))
                .containsExactly(ExitReport.Advice.CAPACITY_TOO_SMALL);
        assertThat(advice(row("a.Ok", 1_000, 500, 1_000, 100, BIG))).as("exactly 10%").isEmpty();
        assertThat(ExitReport.advise(row("a.Full", 1_000, 500, 1_000, 500, BIG)).get(0).message())
                .contains("capacity too small", "500 of 1000 releases were dropped", "64 per thread",
                        "raise @Pooled(maxPerThread) or shelf.pool.maxPerThread");
    }

    private static List<ExitReport.Advice> advice(ExitReport.Row r) {
        return ExitReport.advise(r).stream().map(ExitReport.Advisory::advice).toList();
    }

    @Test
    void theTextIsATablePerClassWithAdvisoriesAndTheEstimateExplained() {
        ExitReport r = new ExitReport(List.of(
                row("com.acme.ParseRequest", 120_034, 119_800, 120_034, 0, BIG),
                row("com.acme.Point", 5_000, 0, 0, 0, TINY)));
        List<String> lines = r.text().lines().toList();
        assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("[shelf] "));
        assertThat(lines.get(0)).contains("per pooled class", "per-allocation-site statistics are not collected yet",
                "sorted by estimated bytes saved");
        assertThat(lines.get(1)).contains("class", "acquired", "reused", "hit %", "dropped", "evicted", "double",
                "~saved");
        assertThat(lines.get(2)).contains("com.acme.ParseRequest", "120034", "119800", "99.8%", "16440", "1.8 GiB");
        assertThat(lines.get(3)).contains("com.acme.Point", "5000", "0.0%", "0 B");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("com.acme.Point: nothing comes back: pooling only "
                + "costs here"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("com.acme.Point: objects are small"));
        assertThat(lines.get(lines.size() - 1)).contains("an estimate and not a measurement");
        // Columns line up: every table row is as wide as the header row.
        assertThat(lines.subList(1, 4)).extracting(String::length).containsOnly(lines.get(1).length());
    }

    @Test
    void sameClassNameFromTwoLoadersIsToldApart() {
        ShelfStats.PoolStats s = new ShelfStats.PoolStats("a.Twin", 64, 10, 5, 5, 10, 0, 0, 0, 0);
        ExitReport r = new ExitReport(List.of(new ExitReport.Row("a.Twin", "one@1", s, 0, BIG, List.of()),
                new ExitReport.Row("a.Twin", "two@2", s, 0, BIG, List.of())));
        assertThat(r.text()).contains("a.Twin (one@1)", "a.Twin (two@2)");
    }

    @Test
    void anEmptyReportSaysSo() {
        ExitReport r = new ExitReport(List.of());
        assertThat(r.text()).contains("no pooled class was initialised", "advisories: none");
        assertThat(MiniJson.parse(r.json())).isInstanceOf(Map.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonHoldsTheSameRowsAndRoomForSites(@TempDir Path dir) throws Exception {
        ExitReport r = new ExitReport(List.of(
                row("com.acme.ParseRequest", 1_000, 900, 1_000, 0, BIG),
                row("com.acme.\"Quoted\"\\Name", 5_000, 0, 0, 0, TINY)));
        Path file = dir.resolve("report.json");
        Observability.write(file, r.json());
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(Files.readString(file));
        assertThat(doc).containsEntry("scope", "class").containsEntry("perSite", false);
        assertThat((String) doc.get("estimate")).contains("estimate");
        assertThat(doc.get("totalEstimatedBytesSaved")).isEqualTo(900L * 16_440);
        List<Map<String, Object>> classes = (List<Map<String, Object>>) doc.get("classes");
        assertThat(classes).hasSize(2);
        Map<String, Object> first = classes.get(0);
        assertThat(first).containsEntry("class", "com.acme.ParseRequest").containsEntry("loader", "app@1")
                .containsEntry("acquired", 1_000L).containsEntry("reused", 900L).containsEntry("allocated", 100L)
                .containsEntry("released", 1_000L).containsEntry("dropped", 0L).containsEntry("evicted", 1L)
                .containsEntry("idle", 3L).containsEntry("capacity", 64L).containsEntry("sharedCapacity", 256L)
                .containsEntry("doubleReleases", 0L).containsEntry("hitRatio", 0.9)
                .containsEntry("estimatedBytesPerObject", 16_440L).containsEntry("estimatedBytesSaved", 900L * 16_440)
                .containsEntry("sites", List.of()).containsEntry("advisories", List.of());
        Map<String, Object> second = classes.get(1);
        assertThat(second).containsEntry("class", "com.acme.\"Quoted\"\\Name");
        assertThat((List<Map<String, Object>>) second.get("advisories")).extracting(a -> a.get("advice"))
                .containsExactly("NOTHING_COMES_BACK", "SMALL_OBJECTS");
    }

    @Test
    void humanBytes() {
        assertThat(ExitReport.human(0)).isEqualTo("0 B");
        assertThat(ExitReport.human(1023)).isEqualTo("1023 B");
        assertThat(ExitReport.human(1536)).isEqualTo("1.5 KiB");
        assertThat(ExitReport.human(3L << 30)).isEqualTo("3.0 GiB");
    }

    @Test
    void hitRatiosRoundDownSoThatOnlyAPerfectPoolShowsAHundred() {
        assertThat(ExitReport.percent(19_992 / 20_000.0)).isEqualTo("99.9%");
        assertThat(ExitReport.percent(1.0)).isEqualTo("100.0%");
        assertThat(ExitReport.percent(0.999)).isEqualTo("99.9%");
        assertThat(ExitReport.percent(0)).isEqualTo("0.0%");
    }
}
