package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.plan.OwnedFields;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Generates {@code $shelf$scrub()}, run when an object is released, so that an idle pooled object pins nothing from
 * its previous life: a request object waiting in the pool must not keep the previous request's body, headers or
 * caller-supplied objects reachable.
 *
 * <p>Per reference field the class declares: an owned container is emptied and kept for reuse, or let go when it grew
 * past {@code shelf.pool.maxRetainedBytes} (the re-initialiser then makes it anew, as the constructor does); an owned
 * pooled child is released to its own pool and the field cleared; any other reference is set to {@code null}.
 * A field is written only when it holds something: a pooled object lives in the old generation, where every
 * reference store costs the collector's barrier. Primitive
 * fields and primitive arrays pin nothing and are left for the re-initialiser. A pooled superclass scrubs its own
 * fields first.
 */
final class ScrubGenerator {

    private ScrubGenerator() {
    }

    static void addScrubber(ClassNode cls, OwnedFields owned, boolean superPooled) {
        MethodNode m = new MethodNode(Opcodes.ASM9, Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNTHETIC, ShelfNames.SCRUB,
                "()V", null, null);
        InsnList c = m.instructions;
        if (superPooled) {
            c.add(new VarInsnNode(Opcodes.ALOAD, 0));
            c.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, cls.superName, ShelfNames.SCRUB, "()V", false));
        }
        for (FieldNode f : cls.fields) {
            int sort = Type.getType(f.desc).getSort();
            if ((f.access & Opcodes.ACC_STATIC) != 0 || f.name.startsWith(ShelfNames.PREFIX)
                    || (sort != Type.OBJECT && sort != Type.ARRAY)) {
                continue;
            }
            OwnedFields.Kind kind = owned.owned().get(f.name);
            if (kind == OwnedFields.Kind.ARRAY) {
                continue;
            }
            LabelNode next = new LabelNode();
            c.add(new VarInsnNode(Opcodes.ALOAD, 0));
            c.add(new FieldInsnNode(Opcodes.GETFIELD, cls.name, f.name, f.desc));
            if (kind == OwnedFields.Kind.CONTAINER) {
                // emptied and kept, unless it grew past shelf.pool.maxRetainedBytes: then let go, and the
                // re-initialiser makes a new one as the constructor does
                c.add(RuntimeAbi.REUSE_EMPTIED.insn());
                c.add(new JumpInsnNode(Opcodes.IFNE, next));
            } else {
                if (kind == OwnedFields.Kind.CHILD) {
                    c.add(new InsnNode(Opcodes.DUP));
                    c.add(RuntimeAbi.RELEASE_IF_PRESENT.insn());
                }
                // only a set field is cleared: a null stored over null still costs the collector's barrier
                c.add(new JumpInsnNode(Opcodes.IFNULL, next));
            }
            c.add(new VarInsnNode(Opcodes.ALOAD, 0));
            c.add(new InsnNode(Opcodes.ACONST_NULL));
            c.add(new FieldInsnNode(Opcodes.PUTFIELD, cls.name, f.name, f.desc));
            c.add(next);
        }
        c.add(new InsnNode(Opcodes.RETURN));
        cls.methods.add(m);
        addOwnedBytes(cls, owned, superPooled);
    }

    /**
     * {@code $shelf$ownedBytes()}: the sum of {@code Reuse.bytesOf} over the owned arrays and containers (a pooled
     * superclass's first), for the pool's idle-bytes budget and size estimate. Every pooled class has one, so that
     * a pooled subclass can always call its superclass's (which need not implement {@code Recyclable}).
     */
    private static void addOwnedBytes(ClassNode cls, OwnedFields owned, boolean superPooled) {
        MethodNode m = RuntimeAbi.OWNED_BYTES.newMethod();
        InsnList c = m.instructions;
        if (superPooled) {
            c.add(new VarInsnNode(Opcodes.ALOAD, 0));
            c.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, cls.superName, RuntimeAbi.OWNED_BYTES.name(),
                    RuntimeAbi.OWNED_BYTES.descriptor(), false));
        } else {
            c.add(new InsnNode(Opcodes.LCONST_0));
        }
        for (FieldNode f : cls.fields) {
            OwnedFields.Kind kind = owned.owned().get(f.name);
            if (kind == OwnedFields.Kind.ARRAY || kind == OwnedFields.Kind.CONTAINER) {
                c.add(new VarInsnNode(Opcodes.ALOAD, 0));
                c.add(new FieldInsnNode(Opcodes.GETFIELD, cls.name, f.name, f.desc));
                c.add(RuntimeAbi.REUSE_BYTES_OF.insn());
                c.add(new InsnNode(Opcodes.LADD));
            }
        }
        c.add(new InsnNode(Opcodes.LRETURN));
        cls.methods.add(m);
    }
}
