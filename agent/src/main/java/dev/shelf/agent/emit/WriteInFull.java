package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.HierarchyClassWriter;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.plan.OwnedFields;

import org.objectweb.asm.tree.analysis.AnalyzerException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pooled class changes everywhere — fields, interfaces, constructors, new methods — so it is written in full from
 * its tree: re-initialisers ({@link ReinitGenerator}), scrubber ({@link ScrubGenerator}), pool and factories
 * ({@link PoolMembersGenerator}), and in strict mode the checks on entry to its methods ({@link StrictChecks}).
 */
final class WriteInFull extends EmitStrategy {

    WriteInFull() {
        super("WriteInFull");
    }

    @Override
    Emission emit(ClassEmit work) throws AnalyzerException {
        if (!(work.self instanceof PoolDecision.Accepted plan)) {
            // The tree of a class that is not pooled may hold only the methods with sites: the others are copied by
            // ReplaceChangedMethods.
            return declined("not a pooled class: its unchanged methods are copied, not written");
        }
        work.rewriteTree(false);
        work.addStrictChecks();
        if (work.strict) {
            StrictChecks.addMethodEntryChecks(work.cls());
        }
        boolean superPooled = plan.superPooled();
        OwnedFields owned = ReinitGenerator.addReinitializers(work.cls(), superPooled);
        ScrubGenerator.addScrubber(work.cls(), owned, superPooled);
        if (plan.instantiable()) {
            PoolMembersGenerator.addPoolMembers(work.cls(), plan.maxPerThread(), plan.maxShared(), work.strict,
                    owned.fieldLines());
        }
        HierarchyClassWriter writer = new HierarchyClassWriter(null, work.writerFlags(), work.hierarchy);
        work.cls().accept(writer);
        byte[] bytes = writer.toByteArray();
        work.readApplicationTypes = writer.readApplicationType();
        List<String> ownership = new ArrayList<>();
        for (Map.Entry<String, String> e : owned.explanations().entrySet()) {
            ownership.add(e.getKey() + ": " + e.getValue());
        }
        return written(new ClassRewriter.Result(bytes, work.rewritten, work.skipped, null, ownership, work.notes));
    }
}
