/**
 * The pool itself: what a {@code dev.shelf.internal.ClassShelf} does when generated code calls it. Not an API; only
 * the runtime's own packages use it.
 *
 * <p>Who is who:
 * <ul>
 *   <li>{@link dev.shelf.internal.pool.ClassPool} — one pooled class's pool: the hot paths, the slow paths,
 *       trimming.</li>
 *   <li>{@link dev.shelf.internal.pool.ArrayPools} — the pools of one array element type, one {@code ClassPool} per
 *       exact length, found by a lock-free length table; {@link dev.shelf.internal.pool.ArrayLedger} — which arrays
 *       pooled sites made and whether each is released, so that none is pooled twice.</li>
 *   <li>{@link dev.shelf.internal.pool.Pools} — every registered pool: relays garbage collections to them, and is
 *       the list statistics and observers read.</li>
 *   <li>{@code ThreadShelf} — a platform thread's stack of one class, touched only by that thread.</li>
 *   <li>{@code ThreadTable} — how a class's pool finds the calling thread's stack: its own table by thread id, not a
 *       JDK {@code ThreadLocal}.</li>
 *   <li>{@code Depot} — a class's shared overflow, through which objects released on one thread reach another.</li>
 *   <li>{@code VirtualShelf} — the striped slots virtual threads share instead of stacks.</li>
 *   <li>{@code IdleBudget} — the JVM-wide bound on the estimated bytes idle objects hold.</li>
 *   <li>{@code GcWatch} — turns garbage collections (a cleared sentinel reference) into "a collection happened
 *       (under pressure)".</li>
 *   <li>{@code SiteCounts}, {@code DoubleRelease}, {@link dev.shelf.internal.pool.SizeEstimate} — per-site counters,
 *       refused second releases, object size estimates.</li>
 * </ul>
 *
 * <p>Members are package-private except what {@code dev.shelf.internal} and the observers need. No call on the
 * acquire or release path leaves this package (or goes through an interface): {@code ClassShelf} inherits
 * {@code ClassPool}'s final methods.
 *
 * <p>Fields read or written without synchronisation on purpose say so where they are declared, with a comment that
 * starts {@code racy:} and says why it is safe ({@code grep -rn "racy:"} lists them). The concurrency arguments are
 * model-checked by the {@code *LincheckTest} classes.
 */
package dev.shelf.internal.pool;
