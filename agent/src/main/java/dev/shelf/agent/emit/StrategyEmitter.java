package dev.shelf.agent.emit;

import dev.shelf.agent.plan.RewritePlan;

import org.objectweb.asm.tree.analysis.AnalyzerException;

/** Writes the class now, trying every {@link EmitStrategy} cheapest first ({@link ClassRewriter}). */
final class StrategyEmitter implements Emitter {

    @Override
    public ClassRewriter.Result emit(RewritePlan plan) throws AnalyzerException {
        return ClassRewriter.rewrite(plan.bytes, plan.self, plan.decisions, plan.hierarchy, plan.sites, plan.strict,
                plan.numbers);
    }
}
