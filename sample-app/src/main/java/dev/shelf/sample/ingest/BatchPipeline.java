package dev.shelf.sample.ingest;

import dev.shelf.Shelf;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;

/**
 * The ingest pipeline for one batch: parse every line into an {@link OrderLine}, validate and enrich them, aggregate
 * the accepted ones into the batch's {@link Totals}, answer — then give everything back.
 *
 * <p>The stages run one after the other over the whole batch, as a batch job's stages do, so all of a batch's lines
 * are alive at once; that is why {@link CsvLine} lets a thread keep a batch's worth of idle lines. The code says
 * {@code new Batch(...)} and {@code new OrderLine(n)} like any other code and releases them in a {@code finally} on
 * every path: each line first (the batch's list only refers to them), then the batch, which takes its owned
 * {@link Totals} along.
 *
 * <p>One instance per connection; not thread-safe.
 */
final class BatchPipeline {

    /** Largest batch accepted; a bigger announcement is a protocol error. */
    static final int MAX_BATCH_LINES = 10_000;

    private long linesRead;

    /**
     * Runs one batch whose header has been read: reads its {@code count} lines from {@code in}.
     *
     * @param batchId the client's batch id
     * @param count   how many lines follow
     * @param in      the connection's reader, positioned after the header
     * @param out     where the reply goes
     * @throws IOException if the connection fails or ends inside the batch
     */
    void run(long batchId, int count, LineReader in, ReplyWriter out) throws IOException {
        Batch batch = new Batch(batchId, count);
        try {
            ArrayList<OrderLine> lines = batch.lines;
            // Parse: split every line into fields. A line joins the batch before it is split, so that it is
            // released even if splitting fails.
            for (int i = 0; i < count; i++) {
                if (!in.next()) {
                    throw new EOFException("batch " + batchId + " ended after " + i + " of " + count + " lines");
                }
                OrderLine line = new OrderLine(++linesRead);
                lines.add(line);
                line.split(in.buffer(), in.start(), in.end());
            }
            // Validate and enrich: typed fields, currency conversion.
            for (int i = 0, n = lines.size(); i < n; i++) {
                lines.get(i).bind();
            }
            // Aggregate.
            Totals totals = batch.totals;
            for (int i = 0, n = lines.size(); i < n; i++) {
                totals.add(lines.get(i));
            }
            // Answer from the batch's own state.
            out.ok(batch.batchId, totals);
        } finally {
            ArrayList<OrderLine> lines = batch.lines;
            for (int i = 0, n = lines.size(); i < n; i++) {
                Shelf.release(lines.get(i));
            }
            Shelf.release(batch);
        }
    }
}
