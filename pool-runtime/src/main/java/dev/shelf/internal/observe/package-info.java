/**
 * How operators see the pools, kept off the acquire and release paths: JMX beans ({@code PoolJmx}, names
 * {@code dev.shelf:type=Pool,name=<class>}), JFR events ({@code PoolJfr}: {@code dev.shelf.PoolStatistics},
 * {@code dev.shelf.PoolEviction}), the exit report ({@code ExitReport}), the watch for sites whose objects never come
 * back ({@link dev.shelf.internal.observe.SiteWatch}), and {@link dev.shelf.internal.observe.RuntimeLog}, the one
 * class that prints the runtime's {@code [shelf]} lines.
 *
 * <p>The pool core tells the observers two things, through one {@link dev.shelf.internal.observe.PoolListener}: a
 * pool was registered, a pool handled a garbage collection. Everything else they read when they need it: the pools
 * from {@link dev.shelf.internal.pool.Pools}, their counters from snapshots. The agent configures them once at start
 * ({@link dev.shelf.internal.observe.Observability#configure}, {@link dev.shelf.internal.observe.SiteWatch#start}).
 */
package dev.shelf.internal.observe;
