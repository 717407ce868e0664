package dev.shelf.agent.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees of a program running under the built {@code shelf-agent.jar}: the exit report on standard
 * error and as JSON ({@code report=exit,report.file=...}), Shelf's events in a flight recording
 * ({@code -XX:StartFlightRecording}), and each pool's MXBean read by the program itself from the platform MBean
 * server. The program is compiled here against the {@code pool-runtime} jar only, like any user's.
 */
class ObservabilityIT {

    private static final String APP = """
            package outside;

            import dev.shelf.Pooled;
            import dev.shelf.Shelf;
            import java.lang.management.ManagementFactory;
            import java.time.Duration;
            import java.util.ArrayList;
            import java.util.List;
import java.util.Map;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.TimeUnit;
            import javax.management.MBeanServer;
            import javax.management.ObjectName;

            public class Observed {

                /** Big and released: where pooling pays. */
                @Pooled
                public static class Buffer {
                    private final byte[] body = new byte[16 * 1024];
                    long id;
                }

                /** Small and never released: two advisories. */
                @Pooled
                public static class Point {
                    int x, y;
                }

                /** Two per thread, no depot, ten released at a time: always full. */
                @Pooled(maxPerThread = 2, maxShared = 0)
                public static class Crowded {
                    private final long[] slots = new long[8];
                }

                public static void main(String[] args) throws Exception {
                    for (int i = 0; i < 1000; i++) {
                        Buffer b = new Buffer();
                        b.id = i;
                        Shelf.release(b);
                    }
                    long sum = 0;
                    for (int i = 0; i < 100; i++) {
                        Point p = new Point();
                        p.x = i;
                        sum += p.x;
                    }
                    List<Crowded> many = new ArrayList<>();
                    for (int round = 0; round < 10; round++) {
                        for (int i = 0; i < 10; i++) {
                            many.add(new Crowded());
                        }
                        for (Crowded c : many) {
                            Shelf.release(c);
                        }
                        many.clear();
                    }
                    Buffer twice = new Buffer();
                    Shelf.release(twice);
                    Shelf.release(twice);
                    System.out.println("sum=" + sum);
                    switch (args.length == 0 ? "" : args[0]) {
                        case "jmx" -> jmx(true);
                        case "nojmx" -> jmx(false);
                        case "jfr" -> jfr();
                        default -> { }
                    }
                }

                static void jmx(boolean expected) throws Exception {
                    // Shelf joins the platform MBean server but never creates it: two seconds after the pool
                    // exists (long enough for an eager registration to have made it), there is still none.
                    Thread.sleep(2000);
                    System.out.println("serversBeforeAsked="
                            + javax.management.MBeanServerFactory.findMBeanServer(null).size());
                    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                    ObjectName name = new ObjectName("dev.shelf:type=Pool,name=outside.Observed$Buffer");
                    // Beans are registered off the application's threads, moments after the class is initialised.
                    for (int i = 0; i < (expected ? 600 : 20) && !server.isRegistered(name); i++) {
                        Thread.sleep(50);
                    }
                    System.out.println("registered=" + server.isRegistered(name));
                    if (!expected) {
                        return;
                    }
                    for (String a : List.of("ClassName", "Acquired", "Reused", "Allocated", "Released", "Dropped",
                            "DoubleReleases", "HitRatio", "Capacity", "EstimatedBytesPerObject")) {
                        System.out.println("jmx " + a + "=" + server.getAttribute(name, a));
                    }
                    System.out.println("beans=" + server.queryNames(new ObjectName("dev.shelf:type=Pool,*"), null).size());
                }

                /** Waits, through an in-process stream, until both kinds of Shelf event were recorded, then exits. */
                static void jfr() throws Exception {
                    CountDownLatch statistics = new CountDownLatch(1);
                    CountDownLatch eviction = new CountDownLatch(1);
                    try (jdk.jfr.consumer.RecordingStream rs = new jdk.jfr.consumer.RecordingStream()) {
                        rs.enable("dev.shelf.PoolStatistics").withPeriod(Duration.ofMillis(200));
                        rs.enable("dev.shelf.PoolEviction");
                        rs.onEvent("dev.shelf.PoolStatistics", e -> {
                            if (e.getString("pooledClass").equals("outside.Observed$Buffer")) {
                                statistics.countDown();
                            }
                        });
                        rs.onEvent("dev.shelf.PoolEviction", e -> eviction.countDown());
                        rs.startAsync();
                        // A thread that ends leaves its idle objects behind; the next collection evicts them.
                        for (int round = 0; round < 300 && eviction.getCount() > 0; round++) {
                            Thread t = new Thread(() -> {
                                List<Buffer> held = new ArrayList<>();
                                for (int i = 0; i < 20; i++) {
                                    held.add(new Buffer());
                                }
                                held.forEach(Shelf::release);
                            });
                            t.start();
                            t.join();
                            System.gc();
                            eviction.await(100, TimeUnit.MILLISECONDS);
                        }
                        System.out.println("streamed statistics=" + statistics.await(60, TimeUnit.SECONDS)
                                + " eviction=" + (eviction.getCount() == 0));
                    }
                }
            }
            """;

    static OutsideProgram program;

    @BeforeAll
    static void compile(@TempDir Path dir) throws IOException {
        program = OutsideProgram.compile(dir, Map.of("Observed.java", APP));
    }

    static OutsideProgram.Run run(String javaHome, List<String> jvmArgs, String agentArg, String mode)
            throws Exception {
        return program.run(javaHome, jvmArgs, agentArg, Map.of(), "outside.Observed", mode);
    }

    static String home(String jdk) {
        return jdk.equals("17") ? System.getProperty("java.home") : OutsideProgram.jdk25();
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void exitReportOnStandardErrorAndAsJson(String jdk, @TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        OutsideProgram.Run r = run(home(jdk), List.of(), "=report=exit,report.file=" + json, "");
        assertThat(r.exit()).as(r.err()).isZero();

        List<String> report = r.err().lines().filter(l -> l.startsWith("[shelf] ")).toList();
        int header = indexOf(report, "[shelf] exit report: per pooled class");
        assertThat(header).as(r.err()).isNotNegative();
        assertThat(report.get(header)).contains("per allocation site");
        List<String> rows = report.subList(header + 2, indexOf(report, "[shelf]   total estimated bytes saved"));
        List<String> table = rows.stream().filter(l -> !columns(l).get(0).equals("at")).toList();
        assertThat(table).hasSize(3);
        assertThat(table.get(0)).as("most bytes saved first").contains("outside.Observed$Buffer");
        assertThat(columns(table.get(0))).containsSequence("outside.Observed$Buffer", "1001", "1000", "99.9%", "1",
                "1001", "0");
        assertThat(table.get(1)).contains("outside.Observed$Crowded");
        assertThat(table.get(2)).contains("outside.Observed$Point");
        assertThat(columns(table.get(2))).containsSequence("outside.Observed$Point", "100", "0", "0.0%", "100", "0");
        // Each class row is followed by its sites, named after the real lines of the program's source.
        String bufferLoop = site("Buffer b = new Buffer();");
        String bufferTwice = site("Buffer twice = new Buffer();");
        String point = site("Point p = new Point();");
        assertThat(rows.get(rows.indexOf(table.get(0)) + 1)).contains("at " + bufferLoop);
        assertThat(columns(rows.get(rows.indexOf(table.get(0)) + 1))).containsSequence("at", bufferLoop, "1000", "999",
                "99.9%", "1", "1000", "0");
        assertThat(columns(rows.get(rows.indexOf(table.get(0)) + 2))).containsSequence("at", bufferTwice, "1", "1",
                "100.0%", "0", "1", "0", "1");
        assertThat(report).anySatisfy(l -> assertThat(l).contains("outside.Observed$Point at " + point
                + ": nothing comes back: pooling only costs here (acquired 100, released 0)"));
        assertThat(report).anySatisfy(l -> assertThat(l).contains("outside.Observed$Point: objects are small"));
        assertThat(report).anySatisfy(l -> assertThat(l).contains("outside.Observed$Crowded: capacity too small: "
                + "80 of 100 releases were dropped", "raise @Pooled(maxPerThread) or shelf.pool.maxPerThread"));
        assertThat(report).noneSatisfy(l -> assertThat(l).contains("outside.Observed$Buffer:"));
        assertThat(report.get(report.size() - 1)).contains("an estimate and not a measurement");

        String doc = Files.readString(json);
        assertThat(doc.strip()).startsWith("{").endsWith("}");
        assertThat(doc).contains("\"scope\": \"class and site\"", "\"perSite\": true");
        String buffer = object(doc, "outside.Observed$Buffer");
        assertThat(number(buffer, "acquired")).isEqualTo(1001);
        assertThat(number(buffer, "reused")).isEqualTo(1000);
        assertThat(number(buffer, "released")).isEqualTo(1001);
        assertThat(number(buffer, "doubleReleases")).isEqualTo(1);
        assertThat(number(buffer, "estimatedOwnedArrayBytes")).as("the 16 KiB buffer").isEqualTo(16 + 16 * 1024);
        assertThat(number(buffer, "estimatedBytesSaved"))
                .isEqualTo(1000 * number(buffer, "estimatedBytesPerObject"));
        List<String> bufferSites = sites(buffer);
        assertThat(bufferSites).hasSize(2);
        assertThat(bufferSites.get(0)).contains("\"site\": \"" + bufferLoop + "\"");
        assertThat(number(bufferSites.get(0), "acquired")).isEqualTo(1000);
        assertThat(number(bufferSites.get(0), "reused")).isEqualTo(999);
        assertThat(number(bufferSites.get(0), "allocated")).isEqualTo(1);
        assertThat(number(bufferSites.get(0), "released")).isEqualTo(1000);
        assertThat(number(bufferSites.get(0), "doubleReleases")).isZero();
        assertThat(bufferSites.get(1)).contains("\"site\": \"" + bufferTwice + "\"");
        assertThat(number(bufferSites.get(1), "acquired")).isEqualTo(1);
        assertThat(number(bufferSites.get(1), "released")).isEqualTo(1);
        assertThat(number(bufferSites.get(1), "doubleReleases")).as("the double release, attributed").isEqualTo(1);
        String pointObject = object(doc, "outside.Observed$Point");
        assertThat(pointObject.substring(0, pointObject.indexOf("\"sites\": ["))).as("per class")
                .contains("\"advice\": \"SMALL_OBJECTS\"").doesNotContain("NOTHING_COMES_BACK");
        List<String> pointSites = sites(pointObject);
        assertThat(pointSites).singleElement().satisfies(x -> {
            assertThat(x).contains("\"site\": \"" + point + "\"", "\"advice\": \"NOTHING_COMES_BACK\"");
            assertThat(number(x, "acquired")).isEqualTo(100);
            assertThat(number(x, "released")).isZero();
        });
        assertThat(object(doc, "outside.Observed$Crowded")).contains("\"advice\": \"CAPACITY_TOO_SMALL\"");
    }

    /** A buffer sized by configuration, and a buffer reuse cannot keep. */
    private static final String SIZED = """
            package outside;

            import dev.shelf.Pooled;
            import dev.shelf.Shelf;

            public class Sized {

                @Pooled
                public static class Request {
                    static int SIZE = Integer.getInteger("app.bufferSize", 1 << 20);
                    final byte[] body = new byte[SIZE];
                    long id;
                }

                @Pooled
                public static class Scratchy {
                    byte[] scratch = new byte[4096];
                    long id;
                }

                public static void main(String[] args) {
                    for (int i = 0; i < 200; i++) {
                        Request r = new Request();
                        r.id = i;
                        Shelf.release(r);
                        Scratchy s = new Scratchy();
                        s.scratch = new byte[4096];
                        Shelf.release(s);
                    }
                }
            }
            """;

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void reportCountsBuffersOfComputedLengthAndNamesBuffersMadeAnew(String jdk, @TempDir Path dir) throws Exception {
        OutsideProgram sized = OutsideProgram.compile(dir.resolve("src"), Map.of("Sized.java", SIZED));
        Path json = dir.resolve("r.json");
        OutsideProgram.Run r = sized.run(home(jdk), List.of("-Dapp.bufferSize=65536"),
                "=report=exit,report.file=" + json, Map.of(), "outside.Sized");
        assertThat(r.exit()).as(r.err()).isZero();
        String doc = Files.readString(json);
        String request = object(doc, "outside.Sized$Request");
        assertThat(number(request, "reused")).isEqualTo(199);
        assertThat(number(request, "estimatedOwnedArrayBytes")).as("byte[SIZE] at the length seen")
                .isEqualTo(16 + 65536);
        assertThat(request).doesNotContain("REMADE_ON_REUSE");
        assertThat(object(doc, "outside.Sized$Scratchy")).contains("\"advice\": \"REMADE_ON_REUSE\"");
        assertThat(r.err()).contains("outside.Sized$Scratchy: field scratch is made anew on every reuse (~4112 B, "
                + "more than the object's own ~32 B): it is neither final nor private");
    }

    @Test
    void withoutReportSettingsNothingIsPrintedOrWritten() throws Exception {
        OutsideProgram.Run r = run(home("17"), List.of(), "", "");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("exit report");
    }

    @Test
    void reportFileAloneWritesJsonWithoutPrinting(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("only.json");
        OutsideProgram.Run r = run(home("17"), List.of(), "=report.file=" + json, "");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("exit report");
        assertThat(number(object(Files.readString(json), "outside.Observed$Buffer"), "reused")).isEqualTo(1000);
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void aFlightRecordingContainsShelfsEvents(String jdk, @TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("r.jfr");
        OutsideProgram.Run r = run(home(jdk), List.of("-XX:StartFlightRecording=filename=" + jfr), "", "jfr");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).as(r.err()).contains("streamed statistics=true eviction=true");
        assertThat(jfr).isRegularFile();

        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        List<RecordedEvent> stats = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.shelf.PoolStatistics"))
                .filter(e -> e.getString("pooledClass").equals("outside.Observed$Buffer")).toList();
        assertThat(stats).isNotEmpty();
        RecordedEvent last = stats.get(stats.size() - 1);
        assertThat(last.getLong("acquired")).isGreaterThanOrEqualTo(1001);
        assertThat(last.getLong("reused")).isGreaterThanOrEqualTo(1000);
        assertThat(last.getLong("doubleReleases")).isEqualTo(1);
        assertThat(last.getInt("capacity")).isEqualTo(64);
        assertThat(last.getString("classLoader")).startsWith("app@");
        assertThat(events).filteredOn(e -> e.getEventType().getName().equals("dev.shelf.PoolStatistics"))
                .extracting(e -> e.getString("pooledClass"))
                .contains("outside.Observed$Point", "outside.Observed$Crowded");

        List<RecordedEvent> evictions = events.stream()
                .filter(e -> e.getEventType().getName().equals("dev.shelf.PoolEviction")).toList();
        assertThat(evictions).isNotEmpty();
        assertThat(evictions).allSatisfy(e -> {
            assertThat(e.getLong("evicted")).isPositive();
            assertThat(e.getString("reason")).isNotBlank();
        });
        assertThat(evictions).extracting(e -> e.getString("pooledClass")).contains("outside.Observed$Buffer");
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(strings = {"17", "25"})
    void theRunningProgramReadsItsPoolsMXBean(String jdk) throws Exception {
        OutsideProgram.Run r = run(home(jdk), List.of(), "", "jmx");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).as("Shelf must not create the platform MBean server itself")
                .contains("serversBeforeAsked=0");
        assertThat(r.out()).contains("registered=true", "jmx ClassName=outside.Observed$Buffer", "jmx Acquired=1001",
                "jmx Reused=1000", "jmx Allocated=1", "jmx Released=1001", "jmx Dropped=0", "jmx DoubleReleases=1",
                "jmx Capacity=64", "beans=3");
        double hitRatio = Double.parseDouble(value(r.out(), "jmx HitRatio"));
        assertThat(hitRatio).isEqualTo(1000.0 / 1001);
        assertThat(Long.parseLong(value(r.out(), "jmx EstimatedBytesPerObject"))).isGreaterThan(16 * 1024);
        assertThat(r.err()).doesNotContain("[shelf] WARN cannot");
    }

    @Test
    void jmxFalseRegistersNoBean() throws Exception {
        OutsideProgram.Run r = run(home("17"), List.of(), "=jmx=false", "nojmx");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("registered=false");
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static List<String> columns(String line) {
        return List.of(line.substring("[shelf] ".length()).trim().split("\\s+"));
    }

    /** The JSON object of one class in the report: from its "class" key to the end of its "sites" array. */
    private static String object(String doc, String className) {
        int start = doc.indexOf("\"class\": \"" + className + "\"");
        assertThat(start).as(className + " in " + doc).isNotNegative();
        int open = doc.indexOf("\"sites\": [", start) + "\"sites\": ".length();
        return doc.substring(start, closing(doc, open) + 1);
    }

    /** The site objects in a class's object, in order. */
    private static List<String> sites(String classObject) {
        int open = classObject.indexOf("\"sites\": [") + "\"sites\": ".length();
        List<String> out = new ArrayList<>();
        for (int i = open + 1; i < closing(classObject, open); i++) {
            if (classObject.charAt(i) == '{') {
                int end = closing(classObject, i);
                out.add(classObject.substring(i, end + 1));
                i = end;
            }
        }
        return out;
    }

    /** The index of the bracket or brace that closes the one at {@code open}, skipping JSON strings. */
    private static int closing(String json, int open) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if ((c == ']' || c == '}') && --depth == 0) {
                return i;
            }
        }
        throw new AssertionError("unbalanced JSON from " + open + ": " + json);
    }

    /** The site name of the one line of the program that contains {@code code}: its real line number. */
    private static String site(String code) {
        List<String> lines = APP.lines().toList();
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(code)) {
                assertThat(found).as("one line with " + code).isNegative();
                found = i + 1;
            }
        }
        assertThat(found).as(code + " in the program").isPositive();
        return "outside.Observed.main:" + found;
    }

    private static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (-?\\d+)").matcher(json);
        assertThat(m.find()).as(key + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String value(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key + "=")).findFirst().orElseThrow()
                .substring(key.length() + 1);
    }
}
