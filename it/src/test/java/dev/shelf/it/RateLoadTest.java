package dev.shelf.it;

import com.sun.net.httpserver.HttpServer;
import dev.shelf.sample.Digest;
import dev.shelf.sample.http.ParseServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The load driver of benchmarks/load: its bodies, its reading of the app, and a short run against the real app. */
class RateLoadTest {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // as in the app: no delayed-ACK stalls
    }

    @Test
    void bodiesHaveExactlyTheAskedSizeAndTheDigestTheAppComputes() throws Exception {
        for (int size : new int[] {RateLoad.Bodies.FIXED_BYTES, 300, 16384, 262144}) {
            RateLoad.Bodies bodies = RateLoad.Bodies.of(size, 200, size);
            int differentCounts = (int) Arrays.stream(bodies.tokens()).distinct().count();
            for (int t = 0; t < RateLoad.TEMPLATES; t++) {
                byte[] out = new byte[size + 10];
                bodies.write(t, 1234567890123L + t, out, 10);
                byte[] body = Arrays.copyOfRange(out, 10, out.length);
                assertThat(body).hasSize(size);
                Map<String, Object> doc = Json.parseObject(body);
                assertThat(doc.get("id")).isEqualTo(1234567890123L + t);
                List<?> tokens = (List<?>) doc.get("tokens");
                assertThat(tokens).hasSize(bodies.tokens()[t]);
                long digest = Digest.START; // the app's own digest code
                for (Object token : tokens) {
                    digest = Digest.addPart(digest, (String) token);
                }
                assertThat(bodies.digests()[t]).isEqualTo(digest);
                byte[] answer = new byte[128];
                int n = bodies.answer(t, 42, answer);
                assertThat(new String(answer, 0, n, StandardCharsets.US_ASCII)).isEqualTo("{\"id\":42,\"tokens\":"
                        + tokens.size() + ",\"digest\":" + digest + ",\"valid\":true}");
            }
            if (size >= 16384) {
                assertThat(differentCounts).as("token counts vary between templates").isGreaterThan(8);
            }
        }
    }

    @Test
    void cpuTicksAreUtimePlusStimeWhateverTheCommandName() {
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1500 250 0 0 20 0 30 0 123";
        assertThat(RateLoad.cpuTicks(stat)).isEqualTo(1750);
    }

    @Test
    void aCpusBusyTicksLeaveOutIdleAndIowait() {
        String stat = "cpu  100 1 50 9000 30 2 3 4 0 0\n"
                + "cpu0 60 1 30 4500 10 1 1 2 0 0\n"
                + "cpu1 40 0 20 4500 20 1 2 2 7 0\n"
                + "intr 12345\n";
        assertThat(RateLoad.busyTicks(stat, 0)).isEqualTo(60 + 1 + 30 + 1 + 1 + 2);
        assertThat(RateLoad.busyTicks(stat, 1)).isEqualTo(40 + 20 + 1 + 2 + 2);
    }

    @Test
    void gcPausesAndStallsAreCountedForEachCollector() {
        String log = String.join("\n",
                "[1.0s][info][gc       ] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 24M->5M(256M) 3.500ms",
                "[1.1s][info][gc       ] GC(4) Pause Remark 30M->30M(256M) 1.000ms",
                "[1.2s][info][gc       ] GC(5) Concurrent Undo Cycle 0.333ms",
                "[1.3s][info][gc] GC(6) Pause Full (Ergonomics) 61M->48M(114M) 10.000ms",
                "[1.4s][info][gc,phases] GC(7) Pause Mark Start 0.010ms",
                "[1.5s][info][gc,phases] GC(7) Concurrent Mark 51.862ms",
                "[1.6s][info][gc,phases] GC(8) y: Pause Relocate Start 0.004ms",
                "[1.7s][info][gc,phases] GC(8) Y: Pause Mark Start (Major) 0.006ms",
                "[1.8s][info][gc       ] Allocation Stall (parse-worker-1) 22.045ms",
                "[1.9s][info][gc       ] GC(9) Garbage Collection (Allocation Stall) 128M(100%)->62M(48%)",
                "");
        RateLoad.GcWindow gc = RateLoad.GcWindow.of(log);
        assertThat(gc.pauses()).isEqualTo(6);
        assertThat(gc.pauseMillis()).isCloseTo(3.5 + 1 + 10 + 0.01 + 0.004 + 0.006, within(1e-9));
        assertThat(gc.maxPauseMillis()).isEqualTo(10.0);
        assertThat(gc.stallMillis()).isEqualTo(22.045);
    }

    @Test
    void aWindowHoldsTheWholeLinesWrittenInsideIt(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gc.log");
        Files.writeString(log, "one\ntwo\nthr");
        assertThat(RateLoad.readRange(log, 0, Files.size(log))).isEqualTo("one\ntwo\n");
        assertThat(RateLoad.readRange(log, 4, Files.size(log))).as("from a line's start").isEqualTo("two\n");
        assertThat(RateLoad.readRange(log, 2, Files.size(log))).as("from inside a line").isEqualTo("two\n");
        assertThat(RateLoad.readRange(log, 5, Files.size(log))).as("no whole line").isEmpty();
        assertThat(RateLoad.readRange(log, 4, 4)).isEmpty();
    }

    @Test
    @Timeout(60)
    void aWrongAnswerIsContaminationAndAnErrorStatusAnError() throws Exception {
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        stub.setExecutor(executor);
        AtomicLong calls = new AtomicLong();
        stub.createContext("/parse", ex -> {
            try (ex) {
                Map<String, Object> req = Json.parseObject(ex.getRequestBody().readAllBytes());
                boolean fail = calls.incrementAndGet() % 2 == 0;
                byte[] answer = ("{\"id\":" + req.get("id") + ",\"tokens\":" + ((List<?>) req.get("tokens")).size()
                        + ",\"digest\":1,\"valid\":true}").getBytes(StandardCharsets.US_ASCII); // wrong digest
                ex.sendResponseHeaders(fail ? 500 : 200, answer.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(answer);
                }
            }
        });
        stub.start();
        try {
            int port = stub.getAddress().getPort();
            RateLoad.Bodies bodies = RateLoad.Bodies.of(500, 20, 1);
            long now = System.nanoTime();
            RateLoad.Tally tally = RateLoad.drive(List.of(new RateLoad.Client(port, 500)), bodies,
                    new AtomicLong(), 100, now, now, now + 200_000_000L);
            assertThat(tally.ok.get()).isZero();
            assertThat(tally.contaminated.get()).isBetween(8L, 12L);
            assertThat(tally.errors.get()).isBetween(8L, 12L);
            assertThat(tally.problems).anySatisfy(p -> assertThat(p).startsWith("CONTAMINATED: expected {\"id\":"));
        } finally {
            stub.stop(0);
            executor.shutdownNow();
        }
    }

    @Test
    @Timeout(120)
    void aShortRunAgainstTheAppPrintsOneCheckedLinePerPhase() throws Exception {
        ParseServer app = ParseServer.start(0, 2);
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            RateLoad.main(new String[] {"--port", Integer.toString(app.port()),
                "--pid", Long.toString(ProcessHandle.current().pid()), "--body", "2000", "--connections", "4",
                "--phases", "1.0,sat", "--rate", "400", "--warmup", "0.5", "--settle", "0.3", "--duration", "1.5",
                "--app-cpu", "0", "--client-cpu", "0", "--label", "test", "--header"});
        } finally {
            System.setOut(stdout);
            app.close();
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).split("\t")).containsExactlyElementsOf(RateLoad.COLUMNS);
        String[] open = lines.get(1).split("\t");
        String[] sat = lines.get(2).split("\t");
        assertThat(open).hasSize(RateLoad.COLUMNS.size());
        assertThat(open[1]).isEqualTo("1.0");
        assertThat(open[2]).isEqualTo("400.0");
        // an open loop sends at the asked rate (this JVM is not pinned, so allow for a busy machine)
        assertThat(Double.parseDouble(open[3])).isBetween(300.0, 500.0);
        assertThat(Double.parseDouble(open[4])).as("CPU per request, µs").isPositive();
        assertThat(Long.parseLong(open[13])).as("ok").isGreaterThan(400);
        assertThat(open[14]).as("contaminated").isEqualTo("0");
        assertThat(open[15]).as("errors").isEqualTo("0");
        assertThat(open[9]).as("no GC log given").isEqualTo("-");
        assertThat(sat[1]).isEqualTo("sat");
        assertThat(sat[2]).isEqualTo("-");
        assertThat(Double.parseDouble(sat[3])).as("saturation beats the open loop's 400/s").isGreaterThan(400);
        assertThat(Double.parseDouble(sat[16])).as("app CPU share (this JVM: app and client)").isPositive();
        assertThat(Double.parseDouble(sat[17])).as("client CPU share: the same process here")
                .isCloseTo(Double.parseDouble(sat[16]), within(0.05)); // read a moment apart
        assertThat(Double.parseDouble(sat[18])).as("others' share of CPU 0").isBetween(0.0, 1.0);
        assertThat(sat[19]).as("the same CPU as the app's, read a moment later").isNotEqualTo("-");
        assertThat(sat[14]).isEqualTo("0");
        assertThat(sat[15]).isEqualTo("0");
    }
}
