/**
 * End-to-end checks and the demo for Shelf: start the sample app as a separate JVM, with and without the agent,
 * drive it with {@link dev.shelf.it.LoadGenerator} and compare.
 *
 * <p>These classes live in {@code src/main} rather than {@code src/test} so that {@link dev.shelf.it.LoadDemo}
 * (the README's demo command) and the integration tests share one load generator and one way of starting the app;
 * the module is never published.
 */
package dev.shelf.it;
