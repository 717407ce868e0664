package dev.shelf.sample.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.shelf.sample.ProcessMetrics;
import dev.shelf.sample.RequestCounters;
import dev.shelf.sample.StatsDocument;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One client connection of the ingest server, served on one worker thread until the client closes it.
 *
 * <p>The protocol is line-based text:
 * <pre>
 * BATCH &lt;batchId&gt; &lt;lineCount&gt;      followed by lineCount CSV order lines (see {@link OrderLine})
 *   → OK &lt;batchId&gt; &lt;accepted&gt; &lt;rejected&gt; &lt;quantity&gt; &lt;amountEurCents&gt; &lt;digest&gt;
 * STATS                                 → one line: the {@link StatsDocument} as JSON
 * QUIT                                  → the server closes the connection
 * anything else                         → ERR &lt;why&gt;, and the server closes the connection
 * </pre>
 * Rejected lines are part of a normal answer; only a broken protocol is an error.
 *
 * <p>Each batch is counted with its lines and with what processing it allocated on this thread, from just after
 * the {@code BATCH} header was read to just after the reply was flushed ({@link #HANDLER_SCOPE}).
 */
final class IngestSession implements Runnable {

    /** What the handler-scope allocation figure covers, as reported by {@code STATS}. */
    static final String HANDLER_SCOPE = "per batch: bytes allocated by the connection's worker thread from after"
            + " the BATCH header to after the reply is flushed (reading, splitting, validating and aggregating all"
            + " its lines, writing the reply)";

    /** Longest accepted line, terminator included. */
    static final int MAX_LINE = 64 * 1024;

    private final Socket socket;
    private final RequestCounters counters;
    private final JsonFactory json;
    private final Runnable onClose;

    IngestSession(Socket socket, RequestCounters counters, JsonFactory json, Runnable onClose) {
        this.socket = socket;
        this.counters = counters;
        this.json = json;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        try (Socket s = socket) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            serve(new LineReader(in, MAX_LINE), new ReplyWriter(out));
        } catch (IOException e) {
            // The client went away, or broke the protocol mid-batch: nothing to answer to.
        } finally {
            onClose.run();
        }
    }

    private void serve(LineReader in, ReplyWriter out) throws IOException {
        BatchPipeline pipeline = new BatchPipeline();
        while (in.next()) {
            if (in.startsWith("BATCH ")) {
                long allocatedAtStart = ProcessMetrics.currentThreadAllocatedBytes();
                long batchId = in.number(in.start() + 6);
                int after = in.lastIndex();
                long count = after < in.end() && in.buffer()[after] == ' ' ? in.number(after + 1) : -1;
                if (batchId < 0 || count < 0 || in.lastIndex() != in.end()) {
                    out.error("expected BATCH <batchId> <lineCount>");
                    return;
                }
                if (count > BatchPipeline.MAX_BATCH_LINES) {
                    out.error("batch " + batchId + " has more than " + BatchPipeline.MAX_BATCH_LINES + " lines");
                    return;
                }
                pipeline.run(batchId, (int) count, in, out);
                long allocated = allocatedAtStart < 0 ? -1
                        : ProcessMetrics.currentThreadAllocatedBytes() - allocatedAtStart;
                counters.handled(count, allocated);
            } else if (in.is("STATS")) {
                ByteArrayOutputStream doc = new ByteArrayOutputStream(2048);
                try (JsonGenerator g = json.createGenerator(doc)) {
                    StatsDocument.write(g, IngestServer.APP, counters);
                }
                byte[] bytes = doc.toByteArray();
                out.line(bytes, 0, bytes.length);
            } else if (in.is("QUIT")) {
                return;
            } else {
                out.error("unknown command; expected BATCH, STATS or QUIT");
                return;
            }
        }
    }
}
