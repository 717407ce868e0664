/**
 * The pool itself: what rewritten allocation sites and {@link dev.shelf.Shelf} call.
 *
 * <p>Public only because generated code in application classes must reach it; not an API. The agent appends this
 * library to the bootstrap class path, so every class loader sees the same copy.
 *
 * <p>Who is who:
 * <ul>
 *   <li>{@link dev.shelf.internal.ShelfRegistry} — finds a class's pool, holds the agent's settings, relays
 *       garbage collections to every pool.</li>
 *   <li>{@link dev.shelf.internal.ClassShelf} — one pooled class's pool: the hot paths, the slow paths, trimming.</li>
 *   <li>{@code ThreadShelf} — a platform thread's stack of one class, touched only by that thread.</li>
 *   <li>{@code ThreadTable} — how a class's pool finds the calling thread's stack: its own table by thread id, not a
 *       JDK {@code ThreadLocal}.</li>
 *   <li>{@code Depot} — a class's shared overflow, through which objects released on one thread reach another.</li>
 *   <li>{@code VirtualShelf} — the striped slots virtual threads share instead of stacks.</li>
 *   <li>{@code GcWatch} — turns garbage collections (a cleared sentinel reference) into "a collection happened (under pressure)".</li>
 * </ul>
 *
 * <p>Fields read or written without synchronisation on purpose say so where they are declared, with a comment that
 * starts {@code racy:} and says why it is safe ({@code grep -rn "racy:"} lists them). The concurrency arguments are
 * model-checked by the {@code *LincheckTest} classes.
 */
package dev.shelf.internal;
