/**
 * The second Shelf sample: a batch ingest service that parses CSV order lines into pooled objects.
 *
 * <p>{@link dev.shelf.sample.ingest.IngestServer} accepts batches over a plain TCP line protocol
 * ({@link dev.shelf.sample.ingest.IngestSession}); {@link dev.shelf.sample.ingest.BatchPipeline} runs each batch
 * through parse, validate/enrich and aggregate stages built from plain {@code @Pooled} classes: a
 * {@link dev.shelf.sample.ingest.Batch} owning a pooled {@link dev.shelf.sample.ingest.Totals}, and one
 * {@link dev.shelf.sample.ingest.OrderLine} (a subclass of the pooled {@link dev.shelf.sample.ingest.CsvLine}, with a
 * constructor argument) per line. Every per-line buffer is an owned {@code final} field, so with the agent the
 * pipeline allocates almost nothing per line; without it, those objects are its dominant garbage.
 */
package dev.shelf.sample.ingest;
