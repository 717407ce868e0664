package dev.shelf.agent;

import dev.shelf.agent.cache.CachedEmitter;
import dev.shelf.agent.cache.KeptMembers;
import dev.shelf.agent.cache.RewriteCache;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.decide.PoolCatalog;
import dev.shelf.agent.emit.Emitter;
import dev.shelf.agent.emit.TrialMembers;
import org.jspecify.annotations.Nullable;

/**
 * The agent's stages wired together for one mode: decide ({@link PoolCatalog}), whose trial generation is the emit
 * stage's ({@link TrialMembers}), and emit ({@link Emitter}) — each with the cache stage around it when
 * {@code shelf.cache.dir} is set. The only place that knows all of them; the stages themselves depend one way.
 */
public final class Pipeline {

    private final boolean strict;
    private final PoolCatalog catalog;
    private final TrialMembers trials;
    private final Emitter emitter;

    private Pipeline(boolean strict, PoolCatalog catalog, TrialMembers trials, Emitter emitter) {
        this.strict = strict;
        this.catalog = catalog;
        this.trials = trials;
        this.emitter = emitter;
    }

    /**
     * Wires the stages for one mode.
     *
     * @param config which packages are in scope
     * @param strict whether classes are rewritten for strict mode
     * @param cache  where rewritten classes are kept across runs ({@code shelf.cache.dir}), or {@code null}
     * @return the stages
     */
    public static Pipeline of(ShelfConfig config, boolean strict, @Nullable RewriteCache cache) {
        TrialMembers trials = new TrialMembers(strict);
        return new Pipeline(strict, new PoolCatalog(config, cache == null ? trials : new KeptMembers(cache, trials)),
                trials, cache == null ? Emitter.STRATEGIES : new CachedEmitter(cache, Emitter.STRATEGIES));
    }

    /**
     * Wires the stages for normal mode, without a cache.
     *
     * @param config which packages are in scope
     * @return the stages for normal mode, without a cache
     */
    public static Pipeline of(ShelfConfig config) {
        return of(config, false, null);
    }

    /** Returns whether classes are rewritten for strict mode. */
    public boolean strict() {
        return strict;
    }

    /** Returns the decide stage. */
    public PoolCatalog catalog() {
        return catalog;
    }

    /** Returns the pooled members generated while deciding, for the classes' own loads. */
    public TrialMembers trials() {
        return trials;
    }

    /** Returns the emit stage (with the cache around it, if any). */
    public Emitter emitter() {
        return emitter;
    }
}
