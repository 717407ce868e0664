package dev.shelf.agent.decide;

import org.jspecify.annotations.Nullable;

/**
 * What deciding needs from the later stages: a class is accepted as pooled only after its pooled members were
 * generated once ("accepted" means "will work"), and a decision kept from an earlier run may be taken as it is.
 * Implemented by the emit stage (the trial generation, kept for the class's own load) and decorated by the cache
 * stage ({@code shelf.cache.dir}); declared here so that dependencies point one way.
 */
public interface MembersTrial {

    /**
     * A decision, with its generated members, kept from an earlier run for exactly these bytes.
     *
     * @param view         the loader's decisions
     * @param internalName the class
     * @param bytes        its class file
     * @return the kept decision, or {@code null}
     */
    PoolDecision.@Nullable Accepted kept(LoaderDecisions view, String internalName, byte[] bytes);

    /**
     * Generates a pooled class's members once, as its load will.
     *
     * @param view         the loader's decisions (and superclass chains, for frames)
     * @param internalName the class
     * @param bytes        its class file
     * @param plan         the decision to be given if generation succeeds
     * @param parent       the decision about its pooled superclass, or {@code null} when it extends {@code Object}
     *                     or a stateless class
     * @param keepable     whether the decision depends on nothing but these bytes and {@code parent}, so that it
     *                     may be kept for the next run
     * @return {@code null} when the members were generated; else why the constructors cannot be re-initialisers
     */
    @Nullable String generate(LoaderDecisions view, String internalName, byte[] bytes, PoolDecision.Accepted plan,
                    @Nullable PoolDecision parent, boolean keepable);
}
