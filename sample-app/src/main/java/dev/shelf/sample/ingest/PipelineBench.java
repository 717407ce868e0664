package dev.shelf.sample.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The ingest pipeline in-process, without sockets or a load generator: {@code threads} threads each run the same
 * 200 batches (1..100 CSV lines, customers partly non-Latin-1) through their own {@link BatchPipeline}, {@code
 * 160 / threads} times a round (at least once), and each round prints the process's CPU time per batch. A round is
 * 32,000 batches whatever the number of threads, about 0.6 s of CPU here: the process CPU time advances in 10 ms
 * ticks, so a shorter round would measure in steps of several percent.
 *
 * <pre>{@code
 * java [-javaagent:agent/target/shelf-agent.jar] -Xms128m -Xmx128m -XX:+UseG1GC \
 *      -cp <sample-app class path> dev.shelf.sample.ingest.PipelineBench [rounds [threads]]
 * }</pre>
 *
 * <p>Why it exists: the ingest app under the load generator used 1.5–3.6× the CPU per batch with the agent, even
 * after a warm-up that waited for the JIT. This takes the network, the load generator and other processes' share
 * of the cores out of the picture (process CPU time, not wall time) and shows the cost depends on the number of
 * threads and on the collector: on the 2-core development machine one thread costs the same with and without the
 * agent, sixteen cost 1.7–2× with it under G1 and the same under {@code -XX:+UseParallelGC} (docs/load-tests.md).
 * A diagnosis tool, not a test: it asserts nothing.
 */
public final class PipelineBench {

    private static final int BATCHES = 200;
    /** Passes over the batches per round, shared by the threads. */
    private static final int PASSES = 160;
    private static final String[] NAMES = {"cust", "Zo\u00eb", "\u0141ukasz", "\u6771\u4eac", "Ana\u00efs",
            "J\u00fcrgen"};

    private PipelineBench() {
    }

    /**
     * Runs the rounds.
     *
     * @param args {@code [rounds [threads]]}, default 30 and 16
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int[] counts = new int[BATCHES];
        byte[] data = batches(counts);
        int passes = Math.max(1, PASSES / threads);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < rounds; round++) {
            long cpu0 = os.getProcessCpuTime();
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                workers[t] = new Thread(() -> runBatches(data, counts, passes), "pipeline-" + t);
                workers[t].start();
            }
            for (Thread w : workers) {
                w.join();
            }
            double perBatch = (os.getProcessCpuTime() - cpu0) / 1e3 / ((double) BATCHES * passes * threads);
            System.out.printf(Locale.ROOT, "round %d: %.2f us process CPU per batch (%d threads)%n", round, perBatch,
                    threads);
        }
    }

    private static void runBatches(byte[] data, int[] counts, int passes) {
        BatchPipeline pipeline = new BatchPipeline();
        OutputStream sink = OutputStream.nullOutputStream();
        try {
            for (int pass = 0; pass < passes; pass++) {
                LineReader in = new LineReader(new ByteArrayInputStream(data), 64 * 1024);
                ReplyWriter out = new ReplyWriter(sink);
                for (int b = 0; b < counts.length; b++) {
                    pipeline.run(b, counts[b], in, out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The batches' lines back to back, and each batch's line count in {@code counts}. */
    private static byte[] batches(int[] counts) {
        SplittableRandom r = new SplittableRandom(1);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        long id = 1;
        for (int b = 0; b < counts.length; b++) {
            counts[b] = r.nextInt(1, 101);
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < counts[b]; j++) {
                sb.append(id++).append(',').append(1_767_225_600_000L + r.nextLong(86_400_000L)).append(',')
                        .append(NAMES[r.nextInt(NAMES.length)]).append('-').append(r.nextInt(100_000)).append(',')
                        .append("SKU-").append(Long.toString(r.nextLong(1L << 30), 36).toUpperCase(Locale.ROOT))
                        .append(',').append(r.nextInt(1, 51)).append(',').append(r.nextInt(1, 50_001))
                        .append(",EUR,gift wrap ").append(Long.toString(id, 36)).append('\n');
            }
            all.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return all.toByteArray();
    }
}
