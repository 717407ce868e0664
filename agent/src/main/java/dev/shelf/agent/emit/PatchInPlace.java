package dev.shelf.agent.emit;

import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.jspecify.annotations.Nullable;
import java.util.List;

/**
 * The tree rewrite decides the sites of the methods that have any; when every one of them was paired straight-line
 * and fits in place, they are patched in the original bytes ({@link SitePatcher}): no class writer, nothing
 * re-encoded, every stack map frame kept.
 */
final class PatchInPlace extends EmitStrategy {

    PatchInPlace() {
        super("PatchInPlace");
    }

    @Override
    Emission emit(ClassEmit work) throws AnalyzerException {
        String why = work.whyNotInPlace();
        if (why != null) {
            return declined(why);
        }
        work.rewriteTree(true);
        if (work.notPatchable != null) {
            return declined(work.notPatchable);
        }
        if (!work.framesValid) {
            return declined("a method's stack map frames must be recomputed");
        }
        List<SitePatcher.Site> patches = work.patches;
        if (patches == null || patches.isEmpty()) {
            return declined("no site is left to patch");
        }
        int[] numberAt = new int[patches.size()];
        byte[] patched = SitePatcher.patch(work.bytes, work.reader, patches, numberAt);
        if (patched == null) {
            return declined("the bytes are not what the tree found, or the constant pool is full");
        }
        return written(new ClassRewriter.Result(patched, work.rewritten, work.skipped, numberAt, List.of(), work.notes));
    }
}
