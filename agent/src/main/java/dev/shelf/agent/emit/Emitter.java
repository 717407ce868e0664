package dev.shelf.agent.emit;

import dev.shelf.agent.plan.RewritePlan;

/**
 * Carries out a {@link RewritePlan}: the emit stage as the transformer sees it, so that the cache stage can decorate
 * it.
 */
public interface Emitter {

    /** Every {@link EmitStrategy}, cheapest first. */
    Emitter STRATEGIES = new StrategyEmitter();

    /**
     * Writes the class a plan describes.
     *
     * @param plan what to do to the class
     * @return the rewritten class
     * @throws Exception when the rewrite fails (the class then loads unchanged)
     */
    ClassRewriter.Result emit(RewritePlan plan) throws Exception;
}
