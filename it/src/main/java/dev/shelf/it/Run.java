package dev.shelf.it;

/**
 * One measured run: a fresh app, a warm-up, then the measured load between two statistics snapshots.
 *
 * @param app       which app
 * @param agent     whether it ran with the agent
 * @param workload  the load
 * @param load      what the measured load observed
 * @param before    the app's statistics after the warm-up, before the measured load
 * @param after     the app's statistics after the measured load
 * @param oomKilled whether the app's container was OOM-killed (false for local processes)
 * @param warmupSent requests sent before the measured load: the workload's warm-up, plus what it took for the
 *                   app's JIT to settle (see {@link Measurement#run})
 */
public record Run(App app, boolean agent, Workload workload, LoadResult load, ServerStats before, ServerStats after,
                  boolean oomKilled, long warmupSent) {
}
