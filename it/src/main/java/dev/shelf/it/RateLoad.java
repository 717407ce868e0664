package dev.shelf.it;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load driver of {@code benchmarks/load/run.sh}: drives one running sample HTTP app ({@code ParseServer}) through
 * a warm-up and a list of measured phases, and prints one tab-separated line per phase.
 *
 * <p>Usage (the script passes all of it):
 * <pre>{@code
 * java -cp ... dev.shelf.it.RateLoad --port P --pid PID [--gc-log FILE] [--body BYTES] [--phases 0.5,0.8,sat]
 *      [--rate RPS] [--connections 16] [--warmup S] [--settle S] [--duration S] [--client java|wrk]
 *      [--wrk-script FILE] [--clk-tck 100] [--app-cpu N] [--client-cpu N] [--label TEXT] [--header]
 * }</pre>
 *
 * <p>Phases, in the order given:
 * <ul>
 *   <li>{@code sat}: saturation. {@code --connections} clients send back to back (a closed loop); the app's
 *       throughput is its saturation rate. With {@code --client wrk} this phase is run by {@code wrk} instead, as an
 *       independent client.</li>
 *   <li>a fraction such as {@code 0.8}: an <em>open-loop</em> constant rate of that fraction of {@code --rate} (the
 *       saturation rate the script measured). Request {@code i} is due at {@code start + i / rate} whether or not
 *       earlier answers have arrived, and its latency is measured from when it was due, not from when a client got
 *       round to sending it: when the app stalls, the requests that should have been sent meanwhile count the stall
 *       too. That is the correction for coordinated omission (as in wrk2); a closed loop would send fewer requests
 *       during a pause and report a tail that is far too short.</li>
 * </ul>
 * Each phase runs {@code --settle} seconds before its measured window of {@code --duration} seconds, so that the
 * window starts in a steady state; the load continues without a break from settling into the window.
 *
 * <p>What is measured over the window, and how:
 * <ul>
 *   <li>the app's CPU time (user + system, all its threads: JIT, GC and request handling alike) from
 *       {@code /proc/<pid>/stat} at the window's start and end, and the same for the client (this JVM, or wrk), as a
 *       share of one core: at saturation the app's should be near 1, or the client was the bottleneck; and, with
 *       {@code --app-cpu N} and {@code --client-cpu N}, how much of the app's and the client's CPU everything
 *       else used ({@code /proc/stat}), which says whether other work on the machine took their cores;</li>
 *   <li>the requests the app handled, from its own {@code GET /stats} counter at the same two moments, so that CPU
 *       per request and throughput mean the same with either client;</li>
 *   <li>GC pauses (count, total, longest) and ZGC allocation stalls from the app's {@code -Xlog:gc,gc+phases} file:
 *       the lines written between the two moments ({@code Pause ... <t>ms}: G1 and Parallel pauses on the
 *       {@code gc} tag, ZGC's on {@code gc+phases});</li>
 *   <li>latency percentiles from the client: for the built-in client, of the requests due inside the window
 *       (coordinated-omission corrected in open-loop phases); for wrk, its own figures over the whole phase (closed
 *       loop, uncorrected).</li>
 * </ul>
 *
 * <p>Every body has exactly {@code --body} bytes: {@code {"id":<id>,"tokens":[...],"payload":"xxx..."}}, a unique
 * id, 0 to 200 tokens whose count varies from request to request, and a {@code payload} string (skipped by the app's
 * parser) that pads the body to size. Every answer is checked against the id, the token count and the digest of the
 * tokens computed here; a wrong one counts as contaminated. Bodies are built from a few templates by patching the id
 * into a fixed-width, space-padded field, so that a 2 MiB body costs the client one copy rather than a rebuild.
 *
 * <p>Bounded: every phase ends at its window's end, requests time out after 10 seconds, and only 127.0.0.1 is ever
 * contacted (see {@link LoopbackConnection}).
 */
public final class RateLoad {

    /** The columns of the output, tab-separated, in order. */
    public static final List<String> COLUMNS = List.of("label", "phase", "target_rps", "rps", "cpu_us_per_req",
            "p50_ms", "p99_ms", "p999_ms", "max_ms", "gc_pauses", "gc_pause_ms", "gc_max_pause_ms", "stall_ms",
            "ok", "contaminated", "errors", "app_cpu_util", "client_cpu_util", "app_core_others_util", "client_core_others_util");

    /** A warm-up round in which the JIT compiled for at most this share of the wall-clock time counts as settled. */
    static final double SETTLED_JIT_SHARE = 0.10;

    /** At most this many warm-up rounds, so that a JIT that never settles cannot stall a run. */
    static final int MAX_WARMUP_ROUNDS = 6;

    /** Body templates: enough that consecutive requests on one server thread differ in their token count. */
    static final int TEMPLATES = 16;

    /** Width of the space-padded id field: any non-negative long fits. */
    static final int ID_WIDTH = 19;

    /** How long one request may take before it is an error. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private RateLoad() {
    }

    // ------------------------------------------------------------------------------------------------ bodies

    /**
     * Request bodies of one exact size, and the answer each deserves.
     *
     * @param bodies   the templates, each {@code size} bytes, id field blank
     * @param tokens   each template's token count
     * @param digests  each template's token digest (FNV-1a over each token's characters, then U+001F)
     * @param idOffset where the id field starts: the same in every template
     */
    record Bodies(byte[][] bodies, int[] tokens, long[] digests, int idOffset) {

        /** {@code {"id":} + id field + {@code ,"tokens":[}, {@code ],"payload":"} and {@code "}}. */
        static final int FIXED_BYTES = 6 + ID_WIDTH + 11 + 13 + 2;

        /**
         * Makes {@link #TEMPLATES} templates of exactly {@code size} bytes.
         *
         * @param size      bytes per body, at least {@link #FIXED_BYTES}
         * @param maxTokens most tokens per body; fewer when the body is too small for them
         * @param seed      seeds the token counts and texts
         * @return the templates
         */
        static Bodies of(int size, int maxTokens, long seed) {
            if (size < FIXED_BYTES) {
                throw new IllegalArgumentException("a body needs at least " + FIXED_BYTES + " bytes, asked for "
                        + size);
            }
            SplittableRandom random = new SplittableRandom(seed);
            byte[][] bodies = new byte[TEMPLATES][];
            int[] tokens = new int[TEMPLATES];
            long[] digests = new long[TEMPLATES];
            for (int t = 0; t < TEMPLATES; t++) {
                StringBuilder sb = new StringBuilder(size).append("{\"id\":").append(" ".repeat(ID_WIDTH))
                        .append(",\"tokens\":[");
                int wanted = random.nextInt(maxTokens + 1);
                long digest = LoadGenerator.FNV_OFFSET;
                int n = 0;
                while (n < wanted) {
                    StringBuilder token = new StringBuilder("t").append(n).append('-');
                    for (int k = random.nextInt(1, 9); k > 0; k--) {
                        token.append((char) ('a' + random.nextInt(26)));
                    }
                    // the token, its quotes and a comma must leave room for the rest of the body
                    if (sb.length() + token.length() + 3 + (FIXED_BYTES - 6 - ID_WIDTH - 11) > size) {
                        break;
                    }
                    sb.append(n == 0 ? "" : ",").append('"').append(token).append('"');
                    for (int c = 0; c < token.length(); c++) {
                        digest = (digest ^ token.charAt(c)) * LoadGenerator.FNV_PRIME;
                    }
                    digest = (digest ^ 0x1f) * LoadGenerator.FNV_PRIME;
                    n++;
                }
                sb.append("],\"payload\":\"");
                int pad = size - sb.length() - 2;
                for (int i = 0; i < pad; i++) {
                    sb.append((char) ('a' + random.nextInt(26)));
                }
                byte[] body = sb.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
                if (body.length != size) {
                    throw new AssertionError("body of " + body.length + " bytes, wanted " + size);
                }
                bodies[t] = body;
                tokens[t] = n;
                digests[t] = digest;
            }
            return new Bodies(bodies, tokens, digests, 6);
        }

        /** @return the bytes per body */
        int size() {
            return bodies[0].length;
        }

        /**
         * Copies template {@code t} into {@code out} at {@code at} and writes {@code id} into its id field.
         *
         * @param t   the template
         * @param id  the request's id, not negative
         * @param out the request buffer
         * @param at  where the body starts in it
         */
        void write(int t, long id, byte[] out, int at) {
            System.arraycopy(bodies[t], 0, out, at, bodies[t].length);
            digits(out, at + idOffset, id);
        }

        /**
         * Writes the app's answer to a body from template {@code t} with {@code id}: what {@code Responses} in
         * sample-app renders, byte for byte.
         *
         * @param t   the template
         * @param id  the request's id
         * @param out a buffer of at least 128 bytes
         * @return the answer's length
         */
        int answer(int t, long id, byte[] out) {
            int n = ascii(out, 0, "{\"id\":");
            n = digits(out, n, id);
            n = ascii(out, n, ",\"tokens\":");
            n = digits(out, n, tokens[t]);
            n = ascii(out, n, ",\"digest\":");
            n = digits(out, n, digests[t]);
            return ascii(out, n, ",\"valid\":true}");
        }

        private static int ascii(byte[] out, int at, String s) {
            for (int i = 0; i < s.length(); i++) {
                out[at++] = (byte) s.charAt(i);
            }
            return at;
        }

        /** Writes {@code v} in decimal at {@code at}; returns the index after it. */
        private static int digits(byte[] out, int at, long v) {
            if (v == Long.MIN_VALUE) {
                return ascii(out, at, Long.toString(v));
            }
            if (v < 0) {
                out[at++] = '-';
                v = -v;
            }
            int len = 1;
            for (long x = v; x >= 10; x /= 10) {
                len++;
            }
            for (int i = at + len - 1; i >= at; i--) {
                out[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            return at + len;
        }
    }

    // ------------------------------------------------------------------------------------------------ connection

    /**
     * One keep-alive connection that sends prepared requests and reads {@code Content-Length}-framed answers into a
     * reusable buffer: unlike {@link HttpConnection}, nothing per request is allocated, so the client's own
     * collections stay out of the latencies it records.
     */
    static final class Conn extends LoopbackConnection {

        private final byte[] line = new byte[8192];
        private byte[] body = new byte[256];
        private int bodyLength;

        Conn(int port) {
            super(port, REQUEST_TIMEOUT, 16 * 1024);
        }

        /** @return the last answer's body; valid until the next exchange */
        byte[] body() {
            return body;
        }

        /** @return the last answer's body length */
        int bodyLength() {
            return bodyLength;
        }

        /**
         * Sends one whole request and reads the answer.
         *
         * @param request head and body
         * @return the HTTP status
         * @throws IOException if the exchange fails; the connection is closed and the next one reconnects
         */
        int send(byte[] request) throws IOException {
            return exchange(request, this::readResponse);
        }

        /**
         * {@code GET path}.
         *
         * @param path e.g. {@code /stats}
         * @return the status
         * @throws IOException if the exchange fails
         */
        int get(String path) throws IOException {
            return send(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }

        private int readResponse() throws IOException {
            InputStream in = in();
            int n = readLine(in);
            if (n < 12 || line[0] != 'H' || line[8] != ' ') {
                throw new IOException("bad status line: " + new String(line, 0, n, StandardCharsets.US_ASCII));
            }
            int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
            long contentLength = -1;
            while ((n = readLine(in)) > 0) {
                if (startsWithIgnoreCase(n, "content-length:")) {
                    contentLength = Long.parseLong(new String(line, 15, n - 15, StandardCharsets.US_ASCII).trim());
                } else if (startsWithIgnoreCase(n, "transfer-encoding:")) {
                    throw new IOException("chunked answers are not expected from the sample app");
                }
            }
            if (contentLength < 0) {
                throw new IOException("answer without Content-Length");
            }
            if (contentLength > body.length) {
                body = new byte[(int) contentLength];
            }
            bodyLength = in.readNBytes(body, 0, (int) contentLength);
            if (bodyLength != contentLength) {
                throw new IOException("connection closed after " + bodyLength + " of " + contentLength + " bytes");
            }
            return status;
        }

        private boolean startsWithIgnoreCase(int n, String prefix) {
            if (n < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (Character.toLowerCase((char) line[i]) != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /** Reads one line into {@link #line} without its CR LF; returns its length. */
        private int readLine(InputStream in) throws IOException {
            int n = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed by the app");
                }
                if (b == '\n') {
                    return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                }
                if (n == line.length) {
                    throw new IOException("header line too long");
                }
                line[n++] = (byte) b;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the app

    /** Reads the app's counters: CPU from /proc, requests and JIT time from {@code /stats}, GC from its log. */
    static final class AppProbe {
        private final long pid;
        private final Path gcLog;
        private final long clockTicksPerSecond;
        private final int appCpu;
        private final int clientCpu;
        private final Conn stats;

        AppProbe(int port, long pid, Path gcLog, long clockTicksPerSecond, int appCpu, int clientCpu) {
            this.appCpu = appCpu;
            this.clientCpu = clientCpu;
            this.pid = pid;
            this.gcLog = gcLog;
            this.clockTicksPerSecond = clockTicksPerSecond;
            this.stats = new Conn(port);
        }

        /** One reading of everything; the client's CPU is that of the process sending the load. */
        record Snapshot(long nanos, long cpuNanos, long clientCpuNanos, long coreBusyNanos,
                        long clientCoreBusyNanos, long requests, long jitMillis, long gcLogBytes) {
        }

        Snapshot snapshot(long clientPid) throws IOException {
            // CPU first: it is the figure that moves fastest
            long cpu = cpuNanos(pid);
            long clientCpuNanos = cpuNanos(clientPid);
            String procStat = appCpu < 0 && clientCpu < 0 ? "" : Files.readString(Path.of("/proc/stat"));
            long core = appCpu < 0 ? -1 : busyTicks(procStat, appCpu) * TimeUnit.SECONDS.toNanos(1)
                    / clockTicksPerSecond;
            long clientCore = clientCpu < 0 ? -1 : busyTicks(procStat, clientCpu) * TimeUnit.SECONDS.toNanos(1)
                    / clockTicksPerSecond;
            long now = System.nanoTime();
            Map<String, Object> doc = stats();
            long log = gcLog == null ? -1 : Files.size(gcLog);
            return new Snapshot(now, cpu, clientCpuNanos, core, clientCore, (Long) doc.get("requests"),
                    (Long) doc.get("jitCompileMillis"), log);
        }

        private long cpuNanos(long process) throws IOException {
            return cpuTicks(Files.readString(Path.of("/proc", Long.toString(process), "stat")))
                    * TimeUnit.SECONDS.toNanos(1) / clockTicksPerSecond;
        }

        private Map<String, Object> stats() throws IOException {
            int status = stats.get("/stats");
            if (status != 200) {
                throw new IOException("GET /stats answered " + status);
            }
            return Json.parseObject(Arrays.copyOf(stats.body(), stats.bodyLength()));
        }

        GcWindow gc(Snapshot from, Snapshot to) throws IOException {
            if (gcLog == null) {
                return GcWindow.NONE;
            }
            return GcWindow.of(readRange(gcLog, from.gcLogBytes(), to.gcLogBytes()));
        }
    }

    /**
     * The process's user + system CPU time, in clock ticks, from the text of {@code /proc/<pid>/stat}: fields 14 and
     * 15, counted after the command name in parentheses (which may itself contain spaces and parentheses).
     *
     * @param stat the file's text
     * @return utime + stime
     */
    static long cpuTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state), so field 14 (utime) is fields[11] and field 15 (stime) fields[12]
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /**
     * The time one CPU has been busy, in clock ticks, from the text of {@code /proc/stat}: its {@code cpu<n>} line's
     * user, nice, system, irq, softirq and steal (guest time is already part of user).
     *
     * @param stat the file's text
     * @param cpu  the CPU's number
     * @return busy ticks since boot
     */
    static long busyTicks(String stat, int cpu) {
        String prefix = "cpu" + cpu + " ";
        for (String line : stat.split("\n")) {
            if (line.startsWith(prefix)) {
                String[] f = line.trim().split(" +");
                return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
            }
        }
        throw new IllegalArgumentException("no line for cpu" + cpu + " in /proc/stat");
    }

    /**
     * The lines of {@code file} written between two sizes it had: the complete lines that start at or after
     * {@code from} and end before {@code to}. Unified logging writes each line whole, so a window boundary inside a
     * line is rare; such a line is left out rather than counted in part (or in two windows).
     */
    static String readRange(Path file, long from, long to) throws IOException {
        if (to <= from) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            boolean atLineStart = from == 0;
            if (!atLineStart) {
                f.seek(from - 1);
                atLineStart = f.read() == '\n';
            }
            byte[] bytes = new byte[Math.toIntExact(to - from)];
            f.seek(from);
            f.readFully(bytes);
            String s = new String(bytes, StandardCharsets.UTF_8);
            int start = atLineStart ? 0 : s.indexOf('\n') + 1; // no newline at all: start == end == 0
            int end = s.lastIndexOf('\n') + 1;
            return end <= start ? "" : s.substring(start, end);
        }
    }

    /**
     * GC activity in one window of the unified GC log.
     *
     * @param pauses       stop-the-world pauses: G1 and Parallel collections, ZGC's Mark Start, Mark End and
     *                     Relocate Start
     * @param pauseMillis  their total
     * @param maxPauseMillis the longest
     * @param stallMillis  ZGC allocation stalls: threads waiting for the collector to free memory
     */
    record GcWindow(int pauses, double pauseMillis, double maxPauseMillis, double stallMillis) {

        static final GcWindow NONE = new GcWindow(-1, -1, -1, -1);

        private static final Pattern PAUSE = Pattern.compile("\\bPause .*?(\\d+(?:\\.\\d+)?)ms\\s*$");
        private static final Pattern STALL = Pattern.compile("\\bAllocation Stall .*?(\\d+(?:\\.\\d+)?)ms\\s*$");

        static GcWindow of(String lines) {
            int pauses = 0;
            double total = 0;
            double max = 0;
            double stalls = 0;
            for (String line : lines.split("\n")) {
                Matcher m = PAUSE.matcher(line);
                if (m.find()) {
                    double ms = Double.parseDouble(m.group(1));
                    pauses++;
                    total += ms;
                    max = Math.max(max, ms);
                } else if ((m = STALL.matcher(line)).find()) {
                    stalls += Double.parseDouble(m.group(1));
                }
            }
            return new GcWindow(pauses, total, max, stalls);
        }
    }

    // ------------------------------------------------------------------------------------------------ load

    /** What the clients of one phase observed. */
    static final class Tally {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong contaminated = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final List<String> problems = new ArrayList<>();
        final Histogram latency = new Histogram(3);

        void problem(String p) {
            synchronized (problems) {
                if (problems.size() < 5) {
                    problems.add(p);
                }
            }
        }
    }

    /** One client: its connection, its request buffer and answer buffer. */
    static final class Client {
        final Conn conn;
        final byte[] request;
        final int bodyAt;
        final byte[] expected = new byte[128];

        Client(int port, int bodySize) {
            conn = new Conn(port);
            byte[] head = ("POST /parse HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + bodySize + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            request = Arrays.copyOf(head, head.length + bodySize);
            bodyAt = head.length;
        }

        /** Sends request {@code id} from template {@code t}; checks the answer into {@code tally}. */
        void send(Bodies bodies, int t, long id, Tally tally) {
            bodies.write(t, id, request, bodyAt);
            int status;
            try {
                status = conn.send(request);
            } catch (IOException e) {
                tally.errors.incrementAndGet();
                tally.problem("id " + id + ": " + e);
                return;
            }
            if (status != 200) {
                tally.errors.incrementAndGet();
                tally.problem("id " + id + ": HTTP " + status + " "
                        + new String(conn.body(), 0, conn.bodyLength(), StandardCharsets.UTF_8));
                return;
            }
            int n = bodies.answer(t, id, expected);
            if (Arrays.equals(expected, 0, n, conn.body(), 0, conn.bodyLength())) {
                tally.ok.incrementAndGet();
            } else {
                tally.contaminated.incrementAndGet();
                tally.problem("CONTAMINATED: expected " + new String(expected, 0, n, StandardCharsets.US_ASCII)
                        + ", got " + new String(conn.body(), 0, conn.bodyLength(), StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Runs one phase with the built-in clients and returns when every client has stopped.
     *
     * @param clients     one per connection
     * @param bodies      the body templates
     * @param ids         hands out unique ids
     * @param rate        requests per second for an open loop; 0 for a closed loop (back to back)
     * @param start       the phase's start ({@link System#nanoTime()})
     * @param windowStart when the measured window starts; only requests due (open loop) or sent (closed loop) from
     *                    then on are recorded in the latency histogram
     * @param end         when the phase ends: no request is due or sent after it
     * @return what the clients saw
     * @throws InterruptedException if interrupted while waiting for the clients
     */
    static Tally drive(List<Client> clients, Bodies bodies, AtomicLong ids, double rate, long start,
                       long windowStart, long end) throws InterruptedException {
        Tally tally = new Tally();
        AtomicLong next = new AtomicLong();
        double period = rate > 0 ? 1e9 / rate : 0;
        List<Thread> threads = new ArrayList<>();
        Histogram[] latencies = new Histogram[clients.size()];
        for (int c = 0; c < clients.size(); c++) {
            Client client = clients.get(c);
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            latencies[c] = latency;
            Thread t = new Thread(() -> {
                while (true) {
                    long i = next.getAndIncrement();
                    long due;
                    if (rate > 0) {
                        due = start + (long) (i * period);
                        if (due >= end) {
                            return;
                        }
                        for (long now; (now = System.nanoTime()) < due; ) {
                            LockSupport.parkNanos(due - now);
                        }
                    } else {
                        due = System.nanoTime();
                        if (due >= end) {
                            return;
                        }
                    }
                    long id = ids.getAndIncrement();
                    client.send(bodies, (int) (id % TEMPLATES), id, tally);
                    if (due >= windowStart) {
                        // From when it was due: includes any time it waited for a free client (open loop).
                        latency.recordValue(Math.min(System.nanoTime() - due, latency.getHighestTrackableValue()));
                    }
                }
            }, "rate-client-" + c);
            t.setDaemon(true); // an abandoned phase must not keep the JVM alive
            threads.add(t);
            t.start();
        }
        long joinBy = end + REQUEST_TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(5);
        for (Thread t : threads) {
            long left = joinBy - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (t.isAlive()) {
                throw new IllegalStateException("a client did not finish within the request timeout");
            }
        }
        for (Histogram h : latencies) {
            tally.latency.add(h);
        }
        return tally;
    }

    /** Sleeps until {@code deadline} ({@link System#nanoTime()}). */
    private static void sleepUntil(long deadline) throws InterruptedException {
        for (long now; (now = System.nanoTime()) < deadline; ) {
            TimeUnit.NANOSECONDS.sleep(deadline - now);
        }
    }

    // ------------------------------------------------------------------------------------------------ main

    /** The parsed command line. */
    record Options(int port, long pid, Path gcLog, int body, int maxTokens, List<String> phases, double rate,
                   int connections, double warmup, double settle, double duration, String client, Path wrkScript,
                   long clockTicks, int appCpu, int clientCpu, String label, boolean header) {

        private static final List<String> KNOWN = List.of("port", "pid", "gc-log", "body", "max-tokens", "phases",
                "rate", "connections", "warmup", "settle", "duration", "client", "wrk-script", "clk-tck", "app-cpu", "client-cpu",
                "label");

        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            boolean header = false;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--header")) {
                    header = true;
                } else if (args[i].startsWith("--") && KNOWN.contains(args[i].substring(2)) && i + 1 < args.length) {
                    m.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unexpected argument " + args[i] + "; options: --" + String.join(
                            " --", KNOWN) + ", each with a value, and --header");
                }
            }
            Options o = new Options(Integer.parseInt(req(m, "port")), Long.parseLong(req(m, "pid")),
                    m.containsKey("gc-log") ? Path.of(m.get("gc-log")) : null,
                    Integer.parseInt(m.getOrDefault("body", "16384")),
                    Integer.parseInt(m.getOrDefault("max-tokens", "200")),
                    List.of(m.getOrDefault("phases", "0.5,0.8,sat").split(",")),
                    Double.parseDouble(m.getOrDefault("rate", "0")),
                    Integer.parseInt(m.getOrDefault("connections", "16")),
                    Double.parseDouble(m.getOrDefault("warmup", "10")),
                    Double.parseDouble(m.getOrDefault("settle", "3")),
                    Double.parseDouble(m.getOrDefault("duration", "20")),
                    m.getOrDefault("client", "java"),
                    m.containsKey("wrk-script") ? Path.of(m.get("wrk-script")) : null,
                    Long.parseLong(m.getOrDefault("clk-tck", "100")),
                    Integer.parseInt(m.getOrDefault("app-cpu", "-1")),
                    Integer.parseInt(m.getOrDefault("client-cpu", "-1")),
                    m.getOrDefault("label", "-"), header);
            for (String p : o.phases) {
                if (!p.equals("sat") && (o.rate <= 0 || fraction(p) <= 0)) {
                    throw new IllegalArgumentException("phase " + p + ": a fraction of --rate needs --rate > 0");
                }
            }
            if (o.client.equals("wrk") && o.wrkScript == null) {
                throw new IllegalArgumentException("--client wrk needs --wrk-script");
            }
            if (!o.client.equals("wrk") && !o.client.equals("java")) {
                throw new IllegalArgumentException("--client is java or wrk, was " + o.client);
            }
            return o;
        }

        private static String req(Map<String, String> m, String key) {
            String v = m.get(key);
            if (v == null) {
                throw new IllegalArgumentException("--" + key + " is required");
            }
            return v;
        }

        private static double fraction(String phase) {
            try {
                return Double.parseDouble(phase);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("phase " + phase + " is neither sat nor a fraction like 0.8");
            }
        }

        long nanos(double seconds) {
            return (long) (seconds * 1e9);
        }
    }

    /**
     * Runs the warm-up and the phases against a running app and prints one line per phase.
     *
     * @param args see the class comment
     * @throws Exception if the app cannot be reached or read; the script reports it and stops
     */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o.header()) {
            System.out.println(String.join("\t", COLUMNS));
        }
        AppProbe probe = new AppProbe(o.port(), o.pid(), o.gcLog(), o.clockTicks(), o.appCpu(), o.clientCpu());
        Bodies bodies = Bodies.of(o.body(), o.maxTokens(), 17);
        List<Client> clients = new ArrayList<>();
        for (int c = 0; c < o.connections(); c++) {
            clients.add(new Client(o.port(), o.body()));
        }
        // Unique ids across the whole run: a random base per run, the request number on top.
        AtomicLong ids = new AtomicLong(new SplittableRandom(System.nanoTime()).nextLong(1L << 40) * 1_000_000L);

        warmUp(o, probe, clients, bodies, ids);
        for (String phase : o.phases()) {
            boolean sat = phase.equals("sat");
            double rate = sat ? 0 : Options.fraction(phase) * o.rate();
            String line;
            if (sat && o.client().equals("wrk")) {
                line = wrkPhase(o, probe);
            } else {
                long start = System.nanoTime();
                long windowStart = start + o.nanos(o.settle());
                long end = windowStart + o.nanos(o.duration());
                Window window = new Window(probe, SELF, windowStart, end);
                window.start();
                Tally tally = drive(clients, bodies, ids, rate, start, windowStart, end);
                window.join();
                line = window.line(o, phase, rate, tally.latency, tally.ok.get(), tally.contaminated.get(),
                        tally.errors.get());
                if (!tally.problems.isEmpty()) {
                    System.err.println("[rate-load] " + phase + ": first problems: " + tally.problems);
                }
            }
            System.out.println(line);
            System.out.flush();
            System.err.println("[rate-load] " + line.replace('\t', ' '));
        }
        for (Client c : clients) {
            c.conn.close();
        }
    }

    /**
     * Closed-loop rounds of {@code --warmup} seconds until one kept the app's JIT compilers busy for at most
     * {@link #SETTLED_JIT_SHARE} of it. A fixed warm-up would be unfair to the agent: with it the app's hot methods
     * reach the optimising compiler later, and a run that starts before they have measures that backlog.
     */
    private static void warmUp(Options o, AppProbe probe, List<Client> clients, Bodies bodies, AtomicLong ids)
            throws Exception {
        for (int round = 1; round <= MAX_WARMUP_ROUNDS; round++) {
            AppProbe.Snapshot before = probe.snapshot(SELF);
            long start = System.nanoTime();
            Tally tally = drive(clients, bodies, ids, 0, start, Long.MAX_VALUE, start + o.nanos(o.warmup()));
            AppProbe.Snapshot after = probe.snapshot(SELF);
            long jit = after.jitMillis() - before.jitMillis();
            long wall = TimeUnit.NANOSECONDS.toMillis(after.nanos() - before.nanos());
            System.err.printf(Locale.ROOT, "[rate-load] warm-up round %d: %d requests, %d ok, %d errors; JIT %d ms"
                    + " of %d ms%n", round, after.requests() - before.requests(), tally.ok.get(),
                    tally.errors.get() + tally.contaminated.get(), jit, wall);
            if (tally.contaminated.get() > 0 || tally.errors.get() > 0) {
                System.err.println("[rate-load] warm-up problems: " + tally.problems);
            }
            if (jit <= SETTLED_JIT_SHARE * wall) {
                return;
            }
        }
        System.err.println("[rate-load] JIT not settled after " + MAX_WARMUP_ROUNDS + " warm-up rounds; measuring"
                + " anyway");
    }

    /** This process: the load generator, unless wrk is. */
    private static final long SELF = ProcessHandle.current().pid();

    /** Reads the app at a window's start and end, on a thread of its own so that it happens on time. */
    private static final class Window extends Thread {
        private final AppProbe probe;
        private final long clientPid;
        private final long startAt;
        private final long endAt;
        private AppProbe.Snapshot first;
        private AppProbe.Snapshot last;
        private Exception failure;

        Window(AppProbe probe, long clientPid, long startAt, long endAt) {
            super("rate-window");
            setDaemon(true);
            this.probe = probe;
            this.clientPid = clientPid;
            this.startAt = startAt;
            this.endAt = endAt;
        }

        @Override
        public void run() {
            try {
                sleepUntil(startAt);
                first = probe.snapshot(clientPid);
                sleepUntil(endAt);
                last = probe.snapshot(clientPid);
            } catch (Exception e) {
                failure = e;
            }
        }

        String line(Options o, String phase, double rate, Histogram latency, long ok, long contaminated,
                    long errors) throws IOException {
            if (failure != null) {
                throw new IOException("reading the app during phase " + phase + ": " + failure, failure);
            }
            long requests = last.requests() - first.requests();
            long wall = last.nanos() - first.nanos();
            double seconds = wall / 1e9;
            GcWindow gc = probe.gc(first, last);
            return String.join("\t", o.label(), phase, rate > 0 ? fmt(rate, 1) : "-", fmt(requests / seconds, 1),
                    requests == 0 ? "-" : fmt((last.cpuNanos() - first.cpuNanos()) / 1e3 / requests, 2),
                    ms(latency, 50), ms(latency, 99), ms(latency, 99.9), ms(latency, 100),
                    gc.pauses() < 0 ? "-" : Integer.toString(gc.pauses()),
                    gc.pauses() < 0 ? "-" : fmt(gc.pauseMillis(), 2),
                    gc.pauses() < 0 ? "-" : fmt(gc.maxPauseMillis(), 2),
                    gc.pauses() < 0 ? "-" : fmt(gc.stallMillis(), 2),
                    Long.toString(ok), Long.toString(contaminated), Long.toString(errors),
                    // busy share of one core: near 1 at saturation means the app's core was the bottleneck; a
                    // client near 1 means the load generator was
                    fmt((last.cpuNanos() - first.cpuNanos()) / (double) wall, 3),
                    fmt((last.clientCpuNanos() - first.clientCpuNanos()) / (double) wall, 3),
                    // what everything else took of the app's core: a run where this is more than a few percent
                    // measured the machine's other work as much as the app
                    first.coreBusyNanos() < 0 ? "-" : fmt(Math.max(0, (last.coreBusyNanos() - first.coreBusyNanos())
                            - (last.cpuNanos() - first.cpuNanos())) / (double) wall, 3),
                    // the same for the client's CPU: a single-threaded client such as wrk gets a small share of
                    // a core that a parallel build also wants, and then cannot saturate the app
                    first.clientCoreBusyNanos() < 0 ? "-" : fmt(Math.max(0, (last.clientCoreBusyNanos()
                            - first.clientCoreBusyNanos()) - (last.clientCpuNanos() - first.clientCpuNanos()))
                            / (double) wall, 3));
        }
    }

    private static String ms(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) {
            return "-";
        }
        long v = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
        return fmt(v / 1e6, 3);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /**
     * The saturation phase run by {@code wrk}: {@code wrk -t1 -c<connections>} for settle + duration seconds, the
     * app read at the window's start and end as for the built-in client. wrk's latency figures cover its whole run
     * and are closed-loop; its answers are not checked (non-2xx statuses and socket errors are counted as errors).
     */
    private static String wrkPhase(Options o, AppProbe probe) throws Exception {
        long seconds = (long) Math.ceil(o.settle() + o.duration()) + 1;
        Process wrk = new ProcessBuilder("wrk", "-t1", "-c" + o.connections(), "-d" + seconds + "s",
                "--timeout", REQUEST_TIMEOUT.toSeconds() + "s", "-s", o.wrkScript().toString(),
                "http://127.0.0.1:" + o.port() + "/parse", "--", Integer.toString(o.body()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long start = System.nanoTime();
        long windowStart = start + o.nanos(o.settle());
        Window window = new Window(probe, wrk.pid(), windowStart, windowStart + o.nanos(o.duration()));
        window.start();
        byte[] out;
        try (InputStream in = wrk.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!wrk.waitFor(seconds + 30, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            throw new IOException("wrk did not finish");
        }
        window.join();
        String text = new String(out, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^WRK\\t(\\d+)\\t(\\d+)\\t([\\d.]+)\\t([\\d.]+)\\t([\\d.]+)\\t([\\d.]+)$")
                .matcher(text);
        if (wrk.exitValue() != 0 || !m.find()) {
            throw new IOException("wrk failed (exit " + wrk.exitValue() + "):\n" + text);
        }
        long wrkRequests = Long.parseLong(m.group(1));
        long wrkErrors = Long.parseLong(m.group(2));
        Histogram none = new Histogram(3);
        String line = window.line(o, "wrk-sat", 0, none, wrkRequests - wrkErrors, 0, wrkErrors);
        // wrk's own latency percentiles (microseconds in its output) in place of the empty histogram's dashes
        String[] cols = line.split("\t", -1);
        cols[COLUMNS.indexOf("p50_ms")] = fmt(Double.parseDouble(m.group(3)) / 1e3, 3);
        cols[COLUMNS.indexOf("p99_ms")] = fmt(Double.parseDouble(m.group(4)) / 1e3, 3);
        cols[COLUMNS.indexOf("p999_ms")] = fmt(Double.parseDouble(m.group(5)) / 1e3, 3);
        cols[COLUMNS.indexOf("max_ms")] = fmt(Double.parseDouble(m.group(6)) / 1e3, 3);
        return String.join("\t", cols);
    }
}
