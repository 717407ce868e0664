package dev.shelf.internal.observe;

import dev.shelf.ShelfStats;
import dev.shelf.internal.pool.SizeEstimate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The exit report: order, advisories, the text on standard error and the JSON file. */
class ExitReportTest {

    private static final SizeEstimate BIG = new SizeEstimate(40, 16_400, 1, true);
    private static final SizeEstimate TINY = new SizeEstimate(24, 0, 0, false);

    private static ExitReport.Row row(String name, long acquired, long reused, long released, long dropped,
                                      SizeEstimate size) {
        ShelfStats.PoolStats s = new ShelfStats.PoolStats(name, 64, acquired, reused, acquired - reused, released,
                dropped, 3, 1, 256);
        return new ExitReport.Row(name, "app@1", s, 0, size);
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
        assertThat(advice(row("a.TinyWithList", 100, 90, 100, 0, new SizeEstimate(24, 0, 0, true))))
                .isEmpty();
        assertThat(advice(row("a.Unused", 0, 0, 0, 0, TINY))).as("never acquired: nothing to say").isEmpty();
        assertThat(advice(row("a.Unknown", 100, 90, 100, 0, null))).isEmpty();
    }

    private static ExitReport.Row arrayRow(String name, long acquired, long reused, long released, long dropped,
                                           long bytes) {
        ShelfStats.PoolStats s = new ShelfStats.PoolStats(name, 64, acquired, reused, acquired - reused, released,
                dropped, 3, 1, 256);
        return new ExitReport.Row(name, "bootstrap", s, 0, new SizeEstimate(bytes, 0, 0, false), "", true);
    }

    @Test
    void arrayPoolsAreAdvisedAboutArraysNotClasses() {
        List<ExitReport.Advisory> leaky = ExitReport.advise(arrayRow("byte[4096]", 1_000, 0, 0, 0, 4112));
        assertThat(leaky).extracting(ExitReport.Advisory::advice).containsExactly(ExitReport.Advice.NOTHING_COMES_BACK);
        assertThat(leaky.get(0).message()).contains("release arrays with Shelf.release").doesNotContain("objects");

        List<ExitReport.Advisory> small = ExitReport.advise(arrayRow("byte[8]", 100, 90, 100, 0, 24));
        assertThat(small).extracting(ExitReport.Advisory::advice).containsExactly(ExitReport.Advice.SMALL_OBJECTS);
        assertThat(small.get(0).message()).startsWith("arrays are small (24 B each)")
                .doesNotContain("own no arrays or containers");

        List<ExitReport.Advisory> full = ExitReport.advise(arrayRow("byte[1048576]", 1_000, 500, 1_000, 400,
                1_048_592));
        assertThat(full).extracting(ExitReport.Advisory::advice).containsExactly(ExitReport.Advice.CAPACITY_TOO_SMALL);
        assertThat(full.get(0).message()).contains("400 of 1000 releases", "shelf.pool.maxIdleBytes")
                .doesNotContain("@Pooled(maxPerThread)");

        assertThat(ExitReport.advise(arrayRow("byte[65536]", 1_000, 900, 1_000, 0, 65552))).isEmpty();
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
        assertThat(lines.get(0)).contains("per pooled class", "per allocation site", "sorted by estimated bytes saved");
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
        ExitReport r = new ExitReport(List.of(new ExitReport.Row("a.Twin", "one@1", s, 0, BIG),
                new ExitReport.Row("a.Twin", "two@2", s, 0, BIG)));
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
    void theJsonHoldsTheSameRows(@TempDir Path dir) throws Exception {
        ExitReport r = new ExitReport(List.of(
                row("com.acme.ParseRequest", 1_000, 900, 1_000, 0, BIG),
                row("com.acme.\"Quoted\"\\Name", 5_000, 0, 0, 0, TINY)));
        Path file = dir.resolve("report.json");
        Observability.write(file, r.json());
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(Files.readString(file));
        assertThat(doc).containsEntry("scope", "class and site").containsEntry("perSite", true);
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

    private static ExitReport.Row withSites(String name, ShelfStats.SiteStats... sites) {
        long acquired = 0;
        long reused = 0;
        long released = 0;
        long dropped = 0;
        for (ShelfStats.SiteStats x : sites) {
            acquired += x.acquired();
            reused += x.reused();
            released += x.released();
            dropped += x.dropped();
        }
        ShelfStats.PoolStats s = new ShelfStats.PoolStats(name, 64, acquired, reused, acquired - reused, released,
                dropped, 2, 0, 256, List.of(sites));
        return new ExitReport.Row(name, "app@1", s, 0, BIG);
    }

    @Test
    void nothingComesBackIsAdvisedPerSiteWhereTheClassTotalHidesIt() {
        // 1000 acquired at a leaking site, 1000 acquired and released at a good one: the class gets half back,
        // which says nothing; the leaking site gets nothing back, which is the bug.
        ExitReport.Row r = withSites("com.acme.Buf",
                new ShelfStats.SiteStats("com.acme.Good.run:10", 1_000, 990, 10, 1_000, 0, 0),
                new ShelfStats.SiteStats("com.acme.Leaky.run:20", 1_000, 0, 1_000, 3, 0, 0),
                new ShelfStats.SiteStats("com.acme.Rare.run:30", 19, 0, 19, 0, 0, 0));
        assertThat(ExitReport.advise(r)).as("nothing per class when sites are known").isEmpty();
        ExitReport report = new ExitReport(List.of(r));
        assertThat(report.advisories()).singleElement().satisfies(a -> {
            assertThat(a.advice()).isEqualTo(ExitReport.Advice.NOTHING_COMES_BACK);
            assertThat(a.site()).isEqualTo("com.acme.Leaky.run:20");
            assertThat(a.message()).contains("acquired 1000, released 3");
        });
        List<String> lines = report.text().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).contains(
                "com.acme.Buf at com.acme.Leaky.run:20: nothing comes back: pooling only costs here"));
        // The class row, then its sites, most acquisitions first, all as wide as the header.
        assertThat(lines.get(2)).contains("com.acme.Buf", "2019");
        assertThat(lines.get(3)).contains("at com.acme.Good.run:10", "1000", "990", "99.0%");
        assertThat(lines.get(4)).contains("at com.acme.Leaky.run:20", "1000", "0.0%");
        assertThat(lines.get(5)).contains("at com.acme.Rare.run:30", "19");
        assertThat(lines.subList(1, 6)).extracting(String::length).containsOnly(lines.get(1).length());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonListsEachClassesSitesWithTheirAdvice() {
        ExitReport r = new ExitReport(List.of(withSites("com.acme.Buf",
                new ShelfStats.SiteStats("com.acme.Good.run:10", 1_000, 990, 10, 1_000, 4, 2),
                new ShelfStats.SiteStats("com.acme.Leaky.run:20", 500, 0, 500, 0, 0, 0))));
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(r.json());
        Map<String, Object> buf = ((List<Map<String, Object>>) doc.get("classes")).get(0);
        assertThat((List<?>) buf.get("advisories")).isEmpty();
        List<Map<String, Object>> sites = (List<Map<String, Object>>) buf.get("sites");
        assertThat(sites).extracting(x -> x.get("site")).containsExactly("com.acme.Good.run:10",
                "com.acme.Leaky.run:20");
        assertThat(sites.get(0)).containsEntry("acquired", 1_000L).containsEntry("reused", 990L)
                .containsEntry("allocated", 10L).containsEntry("released", 1_000L).containsEntry("dropped", 4L)
                .containsEntry("doubleReleases", 2L).containsEntry("hitRatio", 0.99)
                .containsEntry("estimatedBytesSaved", 990L * 16_440).containsEntry("advisories", List.of());
        assertThat((List<Map<String, Object>>) sites.get(1).get("advisories")).extracting(a -> a.get("advice"))
                .containsExactly("NOTHING_COMES_BACK");
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
