package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.HierarchyClassWriter;
import dev.shelf.agent.decide.PoolDecision;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Only some methods changed: the writer, built on the reader, copies every other method's bytes (and its stack map
 * frames) verbatim, so that frames are computed — and types looked up — only where code changed; and not even there
 * when every changed method kept valid frames ({@link SiteRewriter.MethodResult}): then the writer takes the
 * methods' own frames and maximums as they are.
 */
final class ReplaceChangedMethods extends EmitStrategy {

    ReplaceChangedMethods() {
        super("ReplaceChangedMethods");
    }

    @Override
    Emission emit(ClassEmit work) throws AnalyzerException {
        if (work.self instanceof PoolDecision.Accepted) {
            return declined("pooled class: written in full");
        }
        work.rewriteTree(false);
        work.addStrictChecks();
        HierarchyClassWriter writer = new HierarchyClassWriter(work.reader, work.framesValid ? 0 : work.writerFlags(),
                work.hierarchy);
        work.reader.accept(new ChangedMethodsReplaced(writer, work.changed), ClassReader.SKIP_FRAMES);
        byte[] bytes = writer.toByteArray();
        work.readApplicationTypes = writer.readApplicationType();
        return written(new ClassRewriter.Result(bytes, work.rewritten, work.skipped, null, List.of(), work.notes));
    }

    /**
     * Passes a class through to a {@link ClassWriter} built on the same {@link ClassReader}, replacing the methods
     * that were changed by their rewritten tree. Every other method reaches the writer untouched, which makes ASM
     * copy its bytes as they are (stack map frames included) instead of parsing it and computing its frames again.
     */
    private static final class ChangedMethodsReplaced extends ClassVisitor {

        private final Map<String, MethodNode> changed;

        ChangedMethodsReplaced(ClassWriter writer, Map<String, MethodNode> changed) {
            super(Opcodes.ASM9, writer);
            this.changed = changed;
        }

        @Override
        public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodNode rewritten = changed.get(name + descriptor);
            if (rewritten == null) {
                return super.visitMethod(access, name, descriptor, signature, exceptions);
            }
            rewritten.accept(cv);
            return null;
        }
    }
}
