/**
 * What both sample apps share: their statistics document ({@link dev.shelf.sample.StatsDocument}) with Shelf's pool
 * counters, the requests they handled and what handling them allocated ({@link dev.shelf.sample.RequestCounters}),
 * and the process's allocation, GC and memory figures ({@link dev.shelf.sample.ProcessMetrics}); and the digest
 * both answer with ({@link dev.shelf.sample.Digest}), which lets a load generator detect state leaking between
 * requests.
 */
package dev.shelf.sample;
