package dev.shelf.internal.observe;

import dev.shelf.internal.pool.ClassPool;
import dev.shelf.internal.pool.Pools;
import dev.shelf.internal.pool.RegisteredPool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How operators see the pools: JMX beans ({@link PoolJmx}), JFR events ({@link PoolJfr}) and the exit report
 * ({@link ExitReport}). The agent configures it once at start ({@code shelf.jmx}, {@code shelf.report},
 * {@code shelf.report.file}); the pool core tells it two things only, through its {@link PoolListener} — a pool was
 * registered, a pool handled a garbage collection — so that observation stays off the acquire and release paths
 * entirely. The pools themselves it reads from {@link Pools}, the one list of them.
 *
 * <p><b>Never in the application's way.</b> Everything here is best effort: an exception or a missing JDK module
 * ({@code java.management}, {@code jdk.jfr} in a {@code jlink}ed runtime) turns the feature off with at most one
 * {@code [shelf] WARN} line, and nothing propagates to the class initialiser or the GC thread that called in.
 *
 * <p>Without {@link #configure} (no agent, or a unit test) nothing is registered with JMX and no report is printed;
 * the agent's defaults are JMX on, report off.
 */
public final class Observability {

    /** How the pool core reaches the observers. */
    private static final PoolListener LISTENER = new PoolListener() {
        @Override
        public void registered(RegisteredPool pool) {
            Observability.registered(pool);
        }

        @Override
        public void collected(ClassPool pool, boolean pressure) {
            Observability.collected(pool, pressure);
        }
    };

    private static volatile boolean jmx;
    private static volatile boolean exitReport;
    private static volatile @Nullable Path reportFile;
    private static volatile boolean jfrMissing;
    private static boolean hookAdded;

    private Observability() {
    }

    /** Returns the listener the pool core notifies ({@link Pools}). */
    public static PoolListener listener() {
        return LISTENER;
    }

    /**
     * Called once by the agent's premain with the validated configuration.
     *
     * @param jmx        {@code shelf.jmx}: register an MXBean per pool
     * @param exitReport {@code shelf.report=exit}: print the report to standard error at shutdown
     * @param reportFile {@code shelf.report.file}: also write it there as JSON at shutdown; {@code null} for none.
     *                   Written even when {@code exitReport} is {@code false}, for machines that want the data without
     *                   the text on standard error.
     */
    public static synchronized void configure(boolean jmx, boolean exitReport, @Nullable String reportFile) {
        Observability.jmx = jmx;
        Observability.exitReport = exitReport;
        Observability.reportFile = reportFile == null ? null : Path.of(reportFile);
        if (jmx) {
            for (RegisteredPool p : Pools.live()) {
                if (!jmxRegistered(p)) {
                    registerWithJmx(p);
                }
            }
        }
        if ((exitReport || reportFile != null) && !hookAdded) {
            hookAdded = true;
            Runtime.getRuntime().addShutdownHook(new Thread(Observability::atExit, "shelf-exit-report"));
        }
        checkJfr();
    }

    /**
     * A pool was created: queue its MXBean, and register the JFR events if a recording exists. Called from the pooled
     * class's static initialiser; never throws.
     *
     * @param p the pool's entry in {@link Pools}
     */
    private static void registered(RegisteredPool p) {
        try {
            if (jmx) {
                registerWithJmx(p);
            }
            checkJfr();
        } catch (RuntimeException | LinkageError e) {
            RuntimeLog.warnOnce("observe", "cannot observe the pool of " + p.className() + " (" + e + "); pooling is "
                    + "unaffected");
        }
    }

    /**
     * A garbage collection was handled by {@code shelf}. Called from {@code ClassPool.onGc} with the pool's lock held,
     * on the GC watch's thread; never throws.
     *
     * @param shelf    the pool
     * @param pressure whether the heap was still nearly full after the collection
     */
    private static void collected(ClassPool shelf, boolean pressure) {
        if (jfrMissing) {
            return;
        }
        try {
            PoolJfr.collected(shelf, pressure);
        } catch (LinkageError e) {
            jfrMissing = true;
        } catch (RuntimeException e) {
            RuntimeLog.warnOnce("jfr", "cannot record a pool eviction event (" + e + "); pooling is unaffected");
        }
    }

    private static void checkJfr() {
        if (jfrMissing) {
            return;
        }
        try {
            PoolJfr.installIfRecording();
        } catch (LinkageError e) {
            jfrMissing = true; // no jdk.jfr in this runtime: nothing could record the events anyway
        } catch (RuntimeException e) {
            RuntimeLog.warnOnce("jfr", "cannot register Shelf's JFR events (" + e + "); recordings will not "
                    + "contain them, pooling is unaffected");
        }
    }

    private static void registerWithJmx(RegisteredPool p) {
        try {
            PoolJmx.register(p);
        } catch (RuntimeException | LinkageError e) {
            RuntimeLog.warnOnce("jmx", "cannot register the MXBean of the pool of " + p.className() + " (" + e
                    + "); pools stay unobservable through JMX, pooling is unaffected (further JMX failures are not "
                    + "reported; shelf.jmx=false turns JMX off)");
        }
    }

    private static boolean jmxRegistered(RegisteredPool p) {
        try {
            return PoolJmx.registeredName(p) != null;
        } catch (LinkageError e) {
            return false;
        }
    }

    /**
     * Returns the description of a pool's class loader.
     *
     * @param shelf a pool
     * @return the description of its class's loader, or {@code "?"} if the pool is not listed
     */
    static String loaderOf(ClassPool shelf) {
        RegisteredPool p = Pools.entryOf(shelf);
        return p == null ? "?" : p.loader();
    }

    /**
     * The exit report of every live pool now.
     *
     * @return the report, ready to print or write
     */
    static ExitReport report() {
        List<ExitReport.Row> rows = new ArrayList<>();
        for (RegisteredPool p : Pools.live()) {
            dev.shelf.ShelfStats.PoolStats s = p.stats();
            if (s != null) {
                rows.add(new ExitReport.Row(p.className(), p.loader(), s, p.doubleReleases(), p.size(),
                        p.remade(), p.isArray()));
            }
        }
        return new ExitReport(rows);
    }

    /** The shutdown hook: print and/or write the report. Threads may still be running; the counts are a snapshot. */
    static void atExit() {
        try {
            ExitReport report = report();
            if (exitReport) {
                RuntimeLog.report(report.text());
            }
            Path file = reportFile;
            if (file != null) {
                write(file, report.json());
            }
        } catch (RuntimeException | LinkageError e) {
            RuntimeLog.warn("cannot produce the exit report (" + e + ")");
        }
    }

    static void write(Path file, String json) {
        try {
            Files.writeString(file, json, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            RuntimeLog.warn("cannot write the exit report to " + file + " (" + e + ")");
        }
    }
}
