package dev.shelf.internal.observe;

import dev.shelf.internal.ClassShelf;
import dev.shelf.internal.ShelfRegistry;
import dev.shelf.internal.pool.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import static org.assertj.core.api.Assertions.assertThat;

/** Shelf's JFR events, recorded in-process and read back from a dumped recording file. */
class PoolJfrTest {

    static final class Recorded {
    }

    @Test
    void aRecordingContainsPoolStatisticsAndEvictions(@TempDir Path dir) throws Exception {
        ShelfRegistry.activate(16, 0, false);
        try (Recording recording = new Recording()) {
            recording.enable("dev.shelf.PoolStatistics").withPeriod(Duration.ofMillis(100));
            recording.enable("dev.shelf.PoolEviction");
            recording.start();

            // JFR is running now, so registering a pool registers Shelf's events.
            ClassShelf shelf = ShelfRegistry.register(Recorded.class, 0);
            assertThat(PoolJfr.installed()).isTrue();
            List<Recorded> objects = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                objects.add(new Recorded());
            }
            for (Recorded r : objects) {
                ShelfRegistry.release(r);
            }
            for (int i = 0; i < 5; i++) {
                ShelfRegistry.release(shelf.acquire());
            }
            Collector.collected(shelf, false); // the first collection a recording sees sets the starting point
            Collector.collected(shelf, true);  // memory pressure: all 10 idle objects go

            // The statistics event is periodic: dump until one with the final counts is in.
            List<RecordedEvent> stats = List.of();
            Path file = dir.resolve("r.jfr");
            for (int attempt = 0; attempt < 200 && stats.isEmpty(); attempt++) {
                recording.dump(file);
                stats = RecordingFile.readAllEvents(file).stream()
                        .filter(e -> e.getEventType().getName().equals("dev.shelf.PoolStatistics"))
                        .filter(e -> Recorded.class.getName().equals(e.getString("pooledClass")))
                        .filter(e -> e.getLong("evicted") == 10)
                        .toList();
                if (stats.isEmpty()) {
                    Thread.sleep(50);
                }
            }
            assertThat(stats).as("a periodic statistics event after the evictions").isNotEmpty();
            RecordedEvent s = stats.get(0);
            assertThat(s.getLong("acquired")).isEqualTo(5);
            assertThat(s.getLong("reused")).isEqualTo(5);
            assertThat(s.getLong("released")).isEqualTo(15);
            assertThat(s.getLong("idle")).isZero();
            assertThat(s.getInt("capacity")).isEqualTo(16);
            assertThat(s.getDouble("hitRatio")).isEqualTo(1.0);
            assertThat(s.getString("classLoader")).startsWith("app@");

            List<RecordedEvent> evictions = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.shelf.PoolEviction"))
                    .filter(e -> Recorded.class.getName().equals(e.getString("pooledClass")))
                    .toList();
            assertThat(evictions).as("every eviction is in an event").isNotEmpty();
            assertThat(evictions.stream().mapToLong(e -> e.getLong("evicted")).sum()).isEqualTo(10);
            assertThat(evictions).allSatisfy(e -> assertThat(e.getString("reason")).isNotBlank());
        }
    }

    @Test
    void aPoolOfArraysIsRecordedByTypeAndLength(@TempDir Path dir) throws Exception {
        ShelfRegistry.activate(16, 0, false);
        try (Recording recording = new Recording()) {
            recording.enable("dev.shelf.PoolStatistics").withPeriod(Duration.ofMillis(100));
            recording.start();
            for (int i = 0; i < 3; i++) {
                dev.shelf.Shelf.release(dev.shelf.internal.ArrayShelf.bytes(3001, 0));
            }
            List<RecordedEvent> stats = List.of();
            Path file = dir.resolve("a.jfr");
            for (int attempt = 0; attempt < 200 && stats.isEmpty(); attempt++) {
                recording.dump(file);
                stats = RecordingFile.readAllEvents(file).stream()
                        .filter(e -> e.getEventType().getName().equals("dev.shelf.PoolStatistics"))
                        .filter(e -> "byte[3001]".equals(e.getString("pooledClass")))
                        .toList();
                if (stats.isEmpty()) {
                    Thread.sleep(50);
                }
            }
            assertThat(stats).as("a periodic statistics event of the array pool").isNotEmpty();
            RecordedEvent s = stats.get(stats.size() - 1);
            assertThat(s.getLong("acquired")).isEqualTo(3);
            assertThat(s.getLong("reused")).isEqualTo(2);
            assertThat(s.getLong("released")).isEqualTo(3);
            assertThat(s.getString("classLoader")).isEqualTo("bootstrap");
        }
    }
}
