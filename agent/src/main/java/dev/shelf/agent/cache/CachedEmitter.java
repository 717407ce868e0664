package dev.shelf.agent.cache;

import dev.shelf.agent.emit.ClassRewriter;
import dev.shelf.agent.emit.Emitter;
import dev.shelf.agent.plan.RewritePlan;
import dev.shelf.agent.plan.SiteNumbers;
import dev.shelf.agent.report.ShelfLog;
import org.jspecify.annotations.Nullable;

/**
 * The emit stage with {@code shelf.cache.dir} around it: a class with sites may have been rewritten the same way in
 * an earlier run, keyed by what its plan says it depended on ({@link RewritePlan#keyedByDecisions}); it is then taken
 * as kept, and otherwise written and kept for the next start.
 */
public final class CachedEmitter implements Emitter {

    private final RewriteCache cache;
    private final Emitter inner;

    /**
     * @param cache the kept classes
     * @param inner what writes a class on a miss
     */
    public CachedEmitter(RewriteCache cache, Emitter inner) {
        this.cache = cache;
        this.inner = inner;
    }

    @Override
    public ClassRewriter.Result emit(RewritePlan plan) throws Exception {
        if (!plan.keyedByDecisions()) {
            return inner.emit(plan);
        }
        // keyedByDecisions() holds only with a parsed constant pool, which lists the owners
        String decisionsKey = RewriteCache.decisionsKey(plan.self, java.util.Objects.requireNonNull(plan.owners()),
                plan.decisions);
        ClassRewriter.Result kept = cache.sites(plan.className, plan.bytes, decisionsKey, plan.decisions,
                SiteNumbers.RUNTIME);
        if (kept != null) {
            ShelfLog.explain(plan.className.replace('/', '.') + ": rewritten form taken from shelf.cache.dir");
            return kept;
        }
        // Kept only when no application type was looked up for frames: the key does not cover those classes.
        ClassRewriter.Result result = inner.emit(plan);
        if (!result.readApplicationTypes()) {
            try {
                cache.storeSites(plan.className, plan.bytes, decisionsKey, result);
            } catch (java.io.IOException | RuntimeException e) {
                cache.notWritten(e);
            }
        }
        return result;
    }
}
