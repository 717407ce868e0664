package dev.shelf.agent;

import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.internal.ShelfRegistry;
import dev.shelf.internal.Strict;
import dev.shelf.internal.Strict;

/**
 * The agent's only references to the pool runtime, kept out of {@link ShelfAgent} so that no {@code dev.shelf.*}
 * class is resolved before the runtime is on the bootstrap class path — otherwise the application class loader could
 * load a second copy from the application's own {@code pool-runtime} jar.
 */
final class RuntimeBridge {

    private RuntimeBridge() {
    }

    static void activate(ShelfConfig config) {
        ShelfRegistry.activate(config.maxPerThread(), config.maxShared(),
                config.eviction() == ShelfConfig.Eviction.GC);
        Strict.enable(config.strict());
    }
}
