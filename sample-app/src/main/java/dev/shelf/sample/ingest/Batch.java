package dev.shelf.sample.ingest;

import dev.shelf.Pooled;

import java.util.ArrayList;

/**
 * One batch of the feed while it goes through the pipeline: its lines, held together between the stages, and its
 * totals.
 *
 * <p>{@code lines} and {@code totals} are {@code final} fields the constructor makes itself, so the agent treats
 * them as owned: the list is emptied and kept (with the capacity a big batch gave it), and the totals object, itself
 * pooled, is re-initialised with the batch and released with it. The lines in the list are <em>not</em> owned — the
 * list only refers to them — so the pipeline releases each line itself before it releases the batch.
 */
@Pooled
public class Batch {

    /** The batch's lines, in feed order. Owned: emptied and kept on reuse. */
    final ArrayList<OrderLine> lines = new ArrayList<>(64);

    /** The aggregate. Owned pooled child: re-initialised and released with the batch. */
    final Totals totals = new Totals();

    /** The client's batch id. */
    final long batchId;

    /** How many lines the client announced. */
    final int expected;

    /**
     * Creates an empty batch.
     *
     * @param batchId  the client's batch id
     * @param expected how many lines the client announced
     */
    public Batch(long batchId, int expected) {
        this.batchId = batchId;
        this.expected = expected;
    }
}
