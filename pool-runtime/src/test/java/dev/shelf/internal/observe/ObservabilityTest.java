package dev.shelf.internal.observe;

import dev.shelf.ShelfStats;
import dev.shelf.internal.ClassShelf;
import dev.shelf.internal.ShelfRegistry;
import dev.shelf.internal.Sites;
import dev.shelf.internal.pool.SizeEstimate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The report built from live pools: what {@code shelf.report=exit} prints at shutdown. */
class ObservabilityTest {

    @SuppressWarnings("unused")
    static final class Scratch {
        private final byte[] buffer = new byte[4096];
        long id;
    }

    @Test
    void theReportHasARowPerLivePoolWithItsCountersAndEstimate() {
        ShelfRegistry.activate(4, 0, false);
        // what the agent's registration passes for this class: its one kept array of constant length
        ClassShelf shelf = ShelfRegistry.register(Scratch.class, 0, -1,
                "kept\tbuffer\t" + SizeEstimate.align(16 + 4096) + "\n");
        Scratch s = new Scratch();
        for (int i = 0; i < 30; i++) {
            ShelfRegistry.release(s);
            assertThat(shelf.acquire()).isSameAs(s);
        }
        for (int i = 0; i < 10; i++) {
            ShelfRegistry.release(new Scratch()); // 4 fit, 6 are dropped: no shared depot
        }

        ExitReport report = Observability.report();
        ExitReport.Row row = report.rows().stream().filter(r -> r.className().equals(Scratch.class.getName()))
                .findFirst().orElseThrow();
        assertThat(row.stats().reused()).isEqualTo(30);
        assertThat(row.stats().released()).isEqualTo(40);
        assertThat(row.stats().dropped()).isEqualTo(6);
        long perObject = SizeEstimate.align(SizeEstimate.HEADER + SizeEstimate.REFERENCE + 8)
                + SizeEstimate.align(16 + 4096);
        assertThat(row.size().perObject()).isEqualTo(perObject);
        assertThat(row.bytesSaved()).isEqualTo(30 * perObject);
        assertThat(row.sites()).as("all of it through no rewritten site").extracting(ShelfStats.SiteStats::site)
                .containsExactly(Sites.UNATTRIBUTED_NAME);
        assertThat(row.sites().get(0).released()).isEqualTo(40);
        assertThat(report.advisories()).filteredOn(a -> a.className().equals(Scratch.class.getName()))
                .extracting(ExitReport.Advisory::advice).containsExactly(ExitReport.Advice.CAPACITY_TOO_SMALL);
        assertThat(report.text()).contains(Scratch.class.getName() + ": capacity too small: 6 of 40 releases");
    }
}
