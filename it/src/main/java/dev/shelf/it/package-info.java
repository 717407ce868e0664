/**
 * End-to-end checks, the before/after report and the demo for Shelf: start the sample apps ({@link dev.shelf.it.App})
 * as separate JVMs — local processes ({@link dev.shelf.it.LocalLauncher}) or containers
 * ({@link dev.shelf.it.container}) — with and without the agent, drive them with bounded, checked load
 * ({@link dev.shelf.it.LoadGenerator}, {@link dev.shelf.it.IngestLoadGenerator}), compare
 * ({@link dev.shelf.it.Measurement}, {@link dev.shelf.it.Comparison}) and write the report
 * ({@link dev.shelf.it.Report}, {@link dev.shelf.it.LatencyChart}).
 *
 * <p>These classes live in {@code src/main} rather than {@code src/test} so that {@link dev.shelf.it.LoadDemo}
 * (the README's demo command) and the integration tests share one load generator and one way of starting the apps;
 * the module is never published.
 */
package dev.shelf.it;
