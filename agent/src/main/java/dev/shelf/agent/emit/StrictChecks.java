package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Strict mode's rewrite: a call to {@code Strict.check(obj)} before every use of a pooled object — at the entry of
 * each of its methods, and before each read or write of one of its fields, wherever that access is. A released
 * object then fails at the first touch with the stack of its release attached, instead of silently reading or
 * corrupting what its next holder wrote.
 *
 * <p>Only strict mode runs this; normal mode's classes contain none of these calls. Constructors and Shelf's own
 * generated methods are left alone: an object under construction is not released, and re-initialisation and scrubbing
 * are the pool's own uses.
 */
final class StrictChecks {

    private StrictChecks() {
    }

    /**
     * Checks {@code this} on entry to every instance method of a pooled class.
     *
     * @param cls the pooled class
     */
    static void addMethodEntryChecks(ClassNode cls) {
        for (MethodNode m : cls.methods) {
            if ((m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0
                    || m.name.startsWith("<") || m.name.startsWith(ShelfNames.PREFIX)) {
                continue;
            }
            InsnList check = new InsnList();
            check.add(new VarInsnNode(Opcodes.ALOAD, 0));
            check.add(RuntimeAbi.STRICT_CHECK.insn());
            m.instructions.insert(check);
        }
    }

    /**
     * Checks the receiver of every field access to a pooled class in one method.
     *
     * @param method    any method of any class being rewritten
     * @param decisions which classes are pooled
     * @return how many accesses were guarded
     */
    static int addFieldAccessChecks(MethodNode method, Decisions decisions) {
        if (method.name.startsWith("<") || method.name.startsWith(ShelfNames.PREFIX)) {
            return 0;
        }
        List<FieldInsnNode> accesses = new ArrayList<>();
        for (AbstractInsnNode i = method.instructions.getFirst(); i != null; i = i.getNext()) {
            if (i instanceof FieldInsnNode f && (f.getOpcode() == Opcodes.GETFIELD || f.getOpcode() == Opcodes.PUTFIELD)
                    && !f.name.startsWith(ShelfNames.PREFIX) && decisions.decide(f.owner) instanceof PoolDecision.Accepted) {
                accesses.add(f);
            }
        }
        for (FieldInsnNode f : accesses) {
            method.instructions.insertBefore(f, receiverCheck(f));
        }
        return accesses.size();
    }

    private static InsnList receiverCheck(FieldInsnNode f) {
        InsnList c = new InsnList();
        if (f.getOpcode() == Opcodes.GETFIELD) {
            c.add(new InsnNode(Opcodes.DUP));                         // obj obj
            c.add(RuntimeAbi.STRICT_CHECK.insn());                                 // obj
        } else if (Type.getType(f.desc).getSize() == 1) {
            c.add(new InsnNode(Opcodes.SWAP));                        // v obj
            c.add(new InsnNode(Opcodes.DUP));                         // v obj obj
            c.add(RuntimeAbi.STRICT_CHECK.insn());                                 // v obj
            c.add(new InsnNode(Opcodes.SWAP));                        // obj v
        } else {
            c.add(new InsnNode(Opcodes.DUP2_X1));                     // vv obj vv
            c.add(new InsnNode(Opcodes.POP2));                        // vv obj
            c.add(new InsnNode(Opcodes.DUP));                         // vv obj obj
            c.add(RuntimeAbi.STRICT_CHECK.insn());                                 // vv obj
            c.add(new InsnNode(Opcodes.DUP_X2));                      // obj vv obj
            c.add(new InsnNode(Opcodes.POP));                         // obj vv
        }
        return c;
    }
}
