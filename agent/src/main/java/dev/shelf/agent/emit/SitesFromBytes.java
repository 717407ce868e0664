package dev.shelf.agent.emit;

import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * The cheapest way out: every site straight-line, found and patched in the bytes, no ASM tree at all
 * ({@link InPlaceSites}). Most classes the agent changes during start-up merely allocate a pooled class, in
 * straight-line code, and take this way.
 */
final class SitesFromBytes extends EmitStrategy {

    SitesFromBytes() {
        super("SitesFromBytes");
    }

    @Override
    Emission emit(ClassEmit work) throws AnalyzerException {
        String why = work.whyNotInPlace();
        if (why != null) {
            return declined(why);
        }
        // whyNotInPlace() is null only when the methods with sites were found
        ClassRewriter.Result patched = InPlaceSites.rewrite(work.bytes, work.reader,
                java.util.Objects.requireNonNull(work.siteMethods),
                work.decisions, work.numbers);
        // InPlaceSites answers null wherever the tree might say more; its own reasons are not broken down yet.
        return patched != null ? written(patched) : declined("the bytes-only pairing could not prove it");
    }
}
