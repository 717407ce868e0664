package dev.shelf.sample.ingest;

import dev.shelf.Pooled;
import dev.shelf.sample.Digest;

/**
 * What the aggregate stage of the pipeline computes for one batch, and what the reply reports.
 *
 * <p>A pooled object owned by its {@link Batch}: the batch's constructor makes it with {@code new Totals()}, so the
 * agent re-initialises it along with the batch and releases it with the batch. A plain class with field
 * initialisers, like every pooled class here.
 */
@Pooled
public class Totals {

    /** Lines accepted. */
    int accepted;
    /** Lines rejected. */
    int rejected;
    /** Units over the accepted lines. */
    long quantity;
    /** Euro cents over the accepted lines. */
    long amountEurCents;
    /** {@link OrderLine#digest(long)} over the accepted lines, in order. */
    long digest = Digest.START;

    /** Creates empty totals. */
    public Totals() {
    }

    /**
     * Adds one bound line.
     *
     * @param line a line after {@link OrderLine#bind()}
     */
    void add(OrderLine line) {
        if (line.rejection != null) {
            rejected++;
            return;
        }
        accepted++;
        quantity += line.quantity;
        amountEurCents += line.amountEurCents;
        digest = line.digest(digest);
    }
}
