package dev.shelf.agent.emit;

import dev.shelf.agent.plan.AllocationPairing;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Releases the objects (and arrays, {@link PooledArrays}) of {@code @Pooled(scope = METHOD)} sites when the method
 * that made them exits, normally or by exception — so that the user writes no release at all.
 *
 * <p>Each scoped site gets a fresh local slot, set to {@code null} on entry and to the object right after the
 * factory call. Before every return the slots are released ({@code Shelf.release(null)} is a no-op for a site that
 * did not run), and a catch-all handler around the whole body releases them and rethrows. Only sites that run at
 * most once per call and whose object does not escape the method are scoped ({@link AllocationPairing#escapeOf},
 * {@link AllocationPairing#inLoop}); the rest are left to plain allocation by {@link SiteRewriter}. The factories
 * passed in are the instructions after which the object or array is on the stack.
 */
final class MethodScope {

    private MethodScope() {
    }

    static void releaseOnExit(MethodNode method, List<AbstractInsnNode> factories) {
        int first = method.maxLocals;
        int n = factories.size();
        method.maxLocals += n;

        InsnList entry = new InsnList();
        for (int i = 0; i < n; i++) {
            entry.add(new InsnNode(Opcodes.ACONST_NULL));
            entry.add(new VarInsnNode(Opcodes.ASTORE, first + i));
        }
        LabelNode start = new LabelNode();
        entry.add(start);

        for (int i = 0; i < n; i++) {
            InsnList keep = new InsnList();
            keep.add(new InsnNode(Opcodes.DUP));
            keep.add(new VarInsnNode(Opcodes.ASTORE, first + i));
            method.instructions.insert(factories.get(i), keep);
        }
        List<AbstractInsnNode> returns = new ArrayList<>();
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() >= Opcodes.IRETURN && insn.getOpcode() <= Opcodes.RETURN) {
                returns.add(insn);
            }
        }
        for (AbstractInsnNode ret : returns) {
            method.instructions.insertBefore(ret, releaseAll(first, n));
        }
        method.instructions.insert(entry);

        LabelNode end = new LabelNode();
        LabelNode handler = new LabelNode();
        method.instructions.add(end);
        method.instructions.add(handler);
        method.instructions.add(releaseAll(first, n));
        method.instructions.add(new InsnNode(Opcodes.ATHROW));
        method.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
    }

    private static InsnList releaseAll(int first, int n) {
        InsnList out = new InsnList();
        for (int i = 0; i < n; i++) {
            out.add(new VarInsnNode(Opcodes.ALOAD, first + i));
            out.add(RuntimeAbi.RELEASE_IF_PRESENT.insn());
        }
        return out;
    }
}
