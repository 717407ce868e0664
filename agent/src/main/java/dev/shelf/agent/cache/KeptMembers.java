package dev.shelf.agent.cache;

import dev.shelf.agent.decide.LoaderDecisions;
import dev.shelf.agent.decide.MembersTrial;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.emit.ClassRewriter;
import dev.shelf.agent.emit.TrialMembers;
import dev.shelf.agent.report.ShelfLog;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Pooled classes' decisions and generated members kept in {@code shelf.cache.dir}, around the trial generation: a hit
 * is decided without any ASM, and a class decided now is kept for the next start when its decision depended on
 * nothing but its bytes and its pooled superclass's decision.
 */
public final class KeptMembers implements MembersTrial {

    private final RewriteCache cache;
    private final TrialMembers trials;

    /**
     * @param cache  the kept classes
     * @param trials what generates the members on a miss, and keeps them for the class's load
     */
    public KeptMembers(RewriteCache cache, TrialMembers trials) {
        this.cache = cache;
        this.trials = trials;
    }

    @Override
    public PoolDecision.@Nullable Accepted kept(LoaderDecisions view, String internalName, byte[] bytes) {
        RewriteCache.Pooled kept = cache.pooled(internalName, bytes, view);
        if (kept == null) {
            return null;
        }
        trials.remember(view, internalName, bytes, kept.plan(),
                new ClassRewriter.Result(kept.rewritten(), List.of(), List.of(), null));
        ShelfLog.explain(internalName.replace('/', '.') + ": decision and pooled members taken from shelf.cache.dir");
        return kept.plan();
    }

    @Override
    public @Nullable String generate(LoaderDecisions view, String internalName, byte[] bytes,
                                     PoolDecision.Accepted plan, @Nullable PoolDecision parent, boolean keepable) {
        String failed = trials.generate(view, internalName, bytes, plan, parent, keepable);
        ClassRewriter.Result trial = failed == null ? trials.peek(view, internalName) : null;
        // Not kept when an application type was looked up for frames: the entry does not cover that class.
        if (trial != null && keepable && !trial.readApplicationTypes()) {
            try {
                cache.storePooled(bytes, plan, parent == null ? "" : RewriteCache.describe(parent), trial.bytes());
            } catch (java.io.IOException | RuntimeException e) {
                cache.notWritten(e);
            }
        }
        return failed;
    }
}
