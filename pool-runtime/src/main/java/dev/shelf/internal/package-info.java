/**
 * The runtime's contract with the agent: called by generated code; names and descriptors are a contract listed in the
 * agent's {@code RuntimeAbi} (which {@code RuntimeContractTest} resolves against these classes).
 *
 * <p>Public only because generated code in application classes must reach it; not an API. The agent appends this
 * library to the bootstrap class path, so every class loader sees the same copy. Renaming or re-describing anything
 * here breaks every class the agent rewrote, so this package holds only what is linked against:
 * <ul>
 *   <li>{@link dev.shelf.internal.Recyclable} — implemented by every transformed pooled class; its {@code $shelf$}
 *       methods are the callbacks the runtime calls.</li>
 *   <li>{@link dev.shelf.internal.ClassShelf} — a pooled class's pool, as its generated static field, factory and
 *       release method name it; the implementation is {@link dev.shelf.internal.pool.ClassPool}.</li>
 *   <li>{@link dev.shelf.internal.ShelfRegistry} — {@code register}, from every pooled class's static initialiser;
 *       and the agent's start-up call, {@code activate}.</li>
 *   <li>{@link dev.shelf.internal.Release}, {@link dev.shelf.internal.Strict}, {@link dev.shelf.internal.Reuse} —
 *       static helpers generated scrubs, re-initialisers and strict-mode checks call.</li>
 *   <li>{@link dev.shelf.internal.Sites} — the site numbers the agent assigns while rewriting and bakes into
 *       generated code as constants.</li>
 * </ul>
 * The pool's machinery is in {@link dev.shelf.internal.pool}, the observers (JMX, JFR, the exit report, the site watch,
 * every {@code [shelf]} line) in {@link dev.shelf.internal.observe}. Both are sub-packages of this one so that the
 * agent's class-loader hook and scans, which treat {@code dev.shelf.internal} as the runtime, cover them too.
 */
package dev.shelf.internal;
