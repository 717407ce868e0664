package dev.shelf.agent.loaders;

import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.internal.observe.Observability;
import dev.shelf.internal.observe.SiteWatch;
import dev.shelf.internal.ShelfRegistry;
import dev.shelf.internal.Strict;

/**
 * The agent's only references to the pool runtime, kept out of {@code ShelfAgent} so that no {@code dev.shelf.*}
 * class is resolved before the runtime is on the bootstrap class path — otherwise the application class loader could
 * load a second copy from the application's own {@code pool-runtime} jar.
 */
public final class RuntimeBridge {

    private RuntimeBridge() {
    }

    /**
     * Activates the runtime the agent's class loader resolves — the agent's own copy on the bootstrap path, or the
     * identical copy a named module on the module path provides.
     *
     * @param config the validated configuration
     * @return the module of the activated runtime, which classes of named modules must read
     */
    public static Module activate(ShelfConfig config) {
        ShelfRegistry.activate(config.maxPerThread(), config.maxShared(),
                config.eviction() == ShelfConfig.Eviction.GC, config.maxRetainedBytes(), config.maxIdleBytes());
        Strict.enable(config.strict());
        // Before any class is transformed, so that the first pool registered already knows whether to go to JMX.
        Observability.configure(config.jmx(), config.report() == ShelfConfig.Report.EXIT,
                config.reportFile() == null ? null : config.reportFile().toString());
        return ShelfRegistry.class.getModule();
    }

    /**
     * Starts the runtime's watch for sites whose objects never come back.
     *
     * @param after    {@code shelf.sites.revertAfter}
     * @param listener what turns such sites back into plain {@code new}
     */
    public static void watchSites(int after, SiteWatch.Listener listener) {
        SiteWatch.start(after, listener);
    }
}
