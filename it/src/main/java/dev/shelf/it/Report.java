package dev.shelf.it;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The before/after report of a set of comparisons: a Markdown table per app and place, the same figures as JSON, and
 * a latency-percentile chart as PNG.
 *
 * <p>Every figure is measured, and the report says how: allocation from HotSpot's per-thread allocation counters,
 * read inside the app before and after the measured load (warm-up excluded), in two scopes; GC figures from the
 * collector MXBeans over the same window; latency and throughput from the load generator, which shares the machine
 * with the app (so they are noisy on a small machine, unlike the allocation figures).
 */
public final class Report {

    private final String title;
    private final List<Comparison> comparisons = new ArrayList<>();
    private final Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /**
     * Creates an empty report.
     *
     * @param title the heading
     */
    public Report(String title) {
        this.title = title;
    }

    /**
     * Adds a comparison.
     *
     * @param c the comparison
     * @return this report
     */
    public synchronized Report add(Comparison c) {
        comparisons.add(c);
        return this;
    }

    /** @return the comparisons so far */
    public synchronized List<Comparison> comparisons() {
        return List.copyOf(comparisons);
    }

    /**
     * Writes the report, if it has any comparison, under {@code shelf.it.reportDir} (default {@code target/reports})
     * in the folder {@code name}, and says where: what each load IT does after its last test.
     *
     * @param name the report's folder, e.g. {@code local}
     * @throws IOException if the files cannot be written
     */
    public void writeUnderReports(String name) throws IOException {
        if (comparisons().isEmpty()) {
            return;
        }
        Path dir = Path.of(System.getProperty("shelf.it.reportDir", "target/reports")).resolve(name);
        writeTo(dir);
        System.out.println("[shelf-it] report: " + dir.resolve("report.md"));
    }

    /**
     * Writes {@code report.md}, {@code report.json} and {@code latency.png} into {@code dir}.
     *
     * @param dir the directory; created if needed
     * @return the Markdown, for printing
     * @throws IOException if a file cannot be written
     */
    public synchronized String writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        String md = markdown();
        Files.writeString(dir.resolve("report.md"), md);
        Files.writeString(dir.resolve("report.json"), json());
        String chartProblem = LatencyChart.write(comparisons, dir.resolve("latency.png"));
        if (chartProblem != null) {
            System.err.println("[shelf-it] latency chart not written: " + chartProblem);
        }
        return md;
    }

    /** @return the whole report as Markdown */
    public synchronized String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("## ").append(title).append("\n\n");
        sb.append("Generated ").append(created).append(" on ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores (load generator and app share them).\n\n");
        for (Comparison c : comparisons) {
            sb.append(table(c)).append('\n');
        }
        sb.append(methods());
        return sb.toString();
    }

    /**
     * One comparison as a Markdown section.
     *
     * @param c the comparison
     * @return its heading, load description, table and footnotes
     */
    public static String table(Comparison c) {
        StringBuilder sb = new StringBuilder();
        Workload w = c.workload();
        ModeSummary a = c.without();
        ModeSummary b = c.with();
        sb.append("### ").append(c.title()).append("\n\n");
        sb.append(String.format(Locale.ROOT, "%d clients; %d measured %s (%s, %s) after %d warm-up, %d run(s) per"
                        + " mode; app JVM `%s`%s, %d worker threads.%n%n", w.concurrency(), w.requests(),
                c.app().units(), c.app().requestName(), itemsDescription(c.app(), w), w.warmup(), a.runs().size(),
                String.join(" ", c.jvmArgs()), c.memoryLimitBytes() > 0
                        ? ", container memory limit " + mib(c.memoryLimitBytes()) + " MiB, host network" : "",
                c.app().threads()));
        sb.append("| | without agent | with agent | with / without |\n|---|---:|---:|---:|\n");
        row(sb, "throughput (" + c.app().units() + "/s)", a, b, m -> fmt("%,.0f", m.throughput()),
                ratio(b.throughput() / a.throughput()));
        if (a.runs().size() > 1) {
            row(sb, "throughput per run: median (min–max)", a, b, m -> fmt("%,.0f", m.medianRunThroughput()) + " ("
                    + fmt("%,.0f", m.runThroughputs().stream().mapToDouble(Double::doubleValue).min().orElse(0))
                    + "–" + fmt("%,.0f", m.runThroughputs().stream().mapToDouble(Double::doubleValue).max()
                    .orElse(0)) + ")", ratio(b.medianRunThroughput() / a.medianRunThroughput()));
        }
        row(sb, "app CPU time / " + c.app().unit() + " (µs) ⁴", a, b, m -> fmt("%,.0f", m.cpuMicrosPerRequest()),
                ratio(b.cpuMicrosPerRequest() / a.cpuMicrosPerRequest()));
        for (double p : new double[] {50, 99, 99.9}) {
            row(sb, "latency p" + trim(p) + " (ms)", a, b, m -> fmt("%.2f", m.latencyMillis(p)), "");
        }
        boolean handlerAsserted = c.assertedScope().equals("handler");
        String unit = c.app().unit();
        row(sb, "allocated bytes / " + unit + ", app's handling" + (handlerAsserted ? " ¹ **asserted**" : " ¹"), a, b,
                m -> fmt("%,.0f", m.handlerBytesPerRequest()), pct(c.handlerBytesRatio(), handlerAsserted));
        row(sb, "allocated bytes / " + unit + ", whole process" + (handlerAsserted ? " ²" : " ² **asserted**"), a, b,
                m -> fmt("%,.0f", m.bytesPerRequest()), pct(c.processBytesRatio(), !handlerAsserted));
        if (c.app() == App.INGEST) {
            row(sb, "allocated bytes / CSV line, whole process ²", a, b, m -> fmt("%,.1f", m.bytesPerItem()),
                    pct(b.bytesPerItem() / a.bytesPerItem(), false));
        }
        row(sb, "JIT compile time during the load (ms)", a, b, m -> Long.toString(m.jitCompileMillis()), "");
        row(sb, "warm-up " + c.app().units() + " before the load ⁵", a, b, m -> m.minWarmupSent() == m.maxWarmupSent()
                ? Long.toString(m.minWarmupSent()) : m.minWarmupSent() + "–" + m.maxWarmupSent(), "");
        row(sb, "GC count (G1 pauses)", a, b, m -> Long.toString(m.gcCount()), "");
        row(sb, "GC pause total (ms)", a, b, m -> Long.toString(m.gcTimeMillis()), "");
        for (String cls : c.app().pooledClasses()) {
            String simple = cls.substring(cls.lastIndexOf('.') + 1);
            row(sb, "pool hit ratio, " + simple + " ³", a, b, m -> m.active()
                    ? fmt("%.4f", m.pool(cls).hitRatio()) + " (" + m.pool(cls).acquired() + ")" : "–", "");
        }
        row(sb, "contaminated / failed " + c.app().units(), a, b,
                m -> m.contaminated() + " / " + m.errors(), "");
        if (c.memoryLimitBytes() > 0) {
            row(sb, "container memory peak / limit (MiB)", a, b, m -> (m.memoryPeakBytes() < 0 ? "?"
                    : Long.toString(mib(m.memoryPeakBytes()))) + " / " + (m.memoryLimitBytes() < 0 ? "?"
                    : Long.toString(mib(m.memoryLimitBytes()))) + (m.oomKilled() ? " OOM-KILLED" : ""), "");
        }
        sb.append('\n');
        sb.append("¹ ").append(a.handlerScope()).append(".  \n");
        sb.append("² all threads of the app's JVM (`ThreadMXBean.getTotalThreadAllocatedBytes`), including"
                + (c.app() == App.HTTP ? " the JDK's HTTP server (its request parsing and connection handling, the"
                + " same with and without the agent)," : "")
                + (c.app() == App.SPRING_BOOT ? " Tomcat and Spring MVC (request parsing, dispatch, connection handling,"
                + " the same with and without the agent)," : "")
                + (c.app() == App.JETTY_WAR ? " Jetty (request parsing, dispatch, connection handling, the same with"
                + " and without the agent)," : "") + " the JDK's JIT and management threads.  \n");
        sb.append("³ reused / acquired over the measured load only (warm-up excluded); in parentheses, acquisitions.  \n");
        sb.append("⁴ CPU time of the app's whole process (all threads: request handling, JIT compiler, GC) over the"
                + " measured load, per " + c.app().unit() + ": the app's own cost, whatever share of the cores the"
                + " load generator took.  \n");
        sb.append(String.format(Locale.ROOT, "⁵ at least %d, then more in rounds of half that until a round kept the"
                + " app's JIT busy for at most %.0f%% of its time: compiled code is compared, not the JIT's backlog.  %n",
                w.warmup(), Measurement.SETTLED_JIT_SHARE * 100));
        sb.append(String.format(Locale.ROOT, "The integration tests assert: no contaminated or failed %s; hit ratio"
                + " ≥ 0.95 for every pooled class; allocated bytes per %s with the agent ≤ %.0f%% of without, %s"
                + " scope (here %s).%n", c.app().units(), c.app().unit(), Comparison.MAX_ALLOCATION_RATIO * 100,
                handlerAsserted ? "app's handling" : "whole-process", pct(c.assertedRatio(), false)));
        return sb.toString();
    }

    private static String itemsDescription(App app, Workload w) {
        return app != App.INGEST ? "0.." + w.maxItems() + " unique tokens each"
                : "1.." + w.maxItems() + " unique CSV lines each, ~3% invalid";
    }

    private static String methods() {
        return "How these figures are measured: each run is a fresh app JVM; after the warm-up the test reads the"
                + " app's statistics, sends the measured load, and reads them again, so every figure covers the"
                + " measured load only. Allocation comes from HotSpot's per-thread allocation counters (exact byte"
                + " counts, not samples), in two scopes (¹, ²). GC figures come from the collector MXBeans over the"
                + " same window; with G1 every collection they count is a stop-the-world pause. Throughput and"
                + " latency come from the load generator, which shares the CPU with the app: they vary from run to"
                + " run; the allocation figures do not.\n";
    }

    private static void row(StringBuilder sb, String name, ModeSummary a, ModeSummary b,
                            Function<ModeSummary, String> cell, String ratio) {
        sb.append("| ").append(name).append(" | ").append(cell.apply(a)).append(" | ").append(cell.apply(b))
                .append(" | ").append(ratio).append(" |\n");
    }

    private static String fmt(String format, double v) {
        return Double.isNaN(v) ? "?" : String.format(Locale.ROOT, format, v);
    }

    private static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "" : String.format(Locale.ROOT, "%.2f×", r);
    }

    private static String pct(double r, boolean bold) {
        if (Double.isNaN(r) || Double.isInfinite(r)) {
            return "?";
        }
        String s = String.format(Locale.ROOT, "%.1f%%", r * 100);
        return bold ? "**" + s + "**" : s;
    }

    private static String trim(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    private static long mib(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0));
    }

    /** @return the report as JSON */
    public synchronized String json() {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("title", title);
            g.writeStringField("created", created.toString());
            g.writeNumberField("cores", Runtime.getRuntime().availableProcessors());
            g.writeStringField("method", methods().trim());
            g.writeArrayFieldStart("comparisons");
            for (Comparison c : comparisons) {
                g.writeStartObject();
                g.writeStringField("app", c.app().id());
                g.writeStringField("where", c.where());
                g.writeStringField("javaVersion", c.with().javaVersion());
                g.writeStringField("jvmArgs", String.join(" ", c.jvmArgs()));
                g.writeNumberField("memoryLimitBytes", c.memoryLimitBytes());
                g.writeStringField("unit", c.app().unit());
                g.writeObjectFieldStart("workload");
                g.writeNumberField("requests", c.workload().requests());
                g.writeNumberField("warmup", c.workload().warmup());
                g.writeNumberField("concurrency", c.workload().concurrency());
                g.writeNumberField("maxItems", c.workload().maxItems());
                g.writeNumberField("runsPerMode", c.without().runs().size());
                g.writeEndObject();
                g.writeObjectFieldStart("withoutAgent");
                mode(g, c, c.without());
                g.writeEndObject();
                g.writeObjectFieldStart("withAgent");
                mode(g, c, c.with());
                g.writeEndObject();
                g.writeObjectFieldStart("ratios");
                num(g, "throughput", c.with().throughput() / c.without().throughput());
                num(g, "medianRunThroughput", c.with().medianRunThroughput() / c.without().medianRunThroughput());
                num(g, "cpuPerRequest", c.with().cpuMicrosPerRequest() / c.without().cpuMicrosPerRequest());
                num(g, "handlerBytesPerRequest", c.handlerBytesRatio());
                num(g, "processBytesPerRequest", c.processBytesRatio());
                g.writeEndObject();
                g.writeObjectFieldStart("asserted");
                g.writeStringField("allocationScope", c.assertedScope());
                num(g, "allocationRatio", c.assertedRatio());
                num(g, "maxAllocationRatio", Comparison.MAX_ALLOCATION_RATIO);
                num(g, "minHitRatio", 0.95);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString() + "\n";
    }

    private static void mode(JsonGenerator g, Comparison c, ModeSummary m) throws IOException {
        g.writeNumberField("requests", m.requests());
        g.writeNumberField("handled", m.handled());
        g.writeNumberField("items", m.items());
        g.writeNumberField("ok", m.ok());
        g.writeNumberField("contaminated", m.contaminated());
        g.writeNumberField("errors", m.errors());
        num(g, "throughputPerSecond", m.throughput());
        num(g, "medianRunThroughputPerSecond", m.medianRunThroughput());
        g.writeArrayFieldStart("runThroughputsPerSecond");
        for (double t : m.runThroughputs()) {
            g.writeNumber(Math.round(t * 10) / 10.0);
        }
        g.writeEndArray();
        num(g, "cpuMicrosPerRequest", m.cpuMicrosPerRequest());
        num(g, "medianRunCpuMicrosPerRequest", m.medianRunCpuMicrosPerRequest());
        g.writeObjectFieldStart("latencyMillis");
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            num(g, "p" + trim(p), m.latencyMillis(p));
        }
        g.writeEndObject();
        num(g, "handlerBytesPerRequest", m.handlerBytesPerRequest());
        g.writeStringField("handlerScope", m.handlerScope());
        num(g, "processBytesPerRequest", m.bytesPerRequest());
        num(g, "processBytesPerItem", m.bytesPerItem());
        g.writeNumberField("jitCompileMillis", m.jitCompileMillis());
        g.writeNumberField("minWarmupSent", m.minWarmupSent());
        g.writeNumberField("maxWarmupSent", m.maxWarmupSent());
        g.writeNumberField("gcCount", m.gcCount());
        g.writeNumberField("gcPauseMillis", m.gcTimeMillis());
        g.writeStringField("collectors", m.collectors());
        g.writeBooleanField("shelfActive", m.active());
        g.writeArrayFieldStart("pools");
        for (String cls : c.app().pooledClasses()) {
            ModeSummary.PoolDelta p = m.pool(cls);
            g.writeStartObject();
            g.writeStringField("className", cls);
            g.writeNumberField("acquired", p.acquired());
            g.writeNumberField("reused", p.reused());
            g.writeNumberField("allocated", p.allocated());
            g.writeNumberField("released", p.released());
            g.writeNumberField("dropped", p.dropped());
            num(g, "hitRatio", p.hitRatio());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("memoryPeakBytes", m.memoryPeakBytes());
        g.writeNumberField("memoryLimitBytes", m.memoryLimitBytes());
        g.writeBooleanField("oomKilled", m.oomKilled());
    }

    private static void num(JsonGenerator g, String name, double v) throws IOException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, Math.round(v * 10_000) / 10_000.0);
        }
    }
}
