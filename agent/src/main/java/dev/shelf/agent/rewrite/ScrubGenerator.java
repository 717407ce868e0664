package dev.shelf.agent.rewrite;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Generates {@code $shelf$scrub()}, run when an object is released, so that an idle pooled object pins nothing from
 * its previous life: a request object waiting in the pool must not keep the previous request's body, headers or
 * caller-supplied objects reachable.
 *
 * <p>Per reference field the class declares: an owned container is emptied (and kept for reuse); an owned pooled
 * child is released to its own pool and the field cleared; any other reference is set to {@code null}. Primitive
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
            if (kind == OwnedFields.Kind.CONTAINER) {
                c.add(new VarInsnNode(Opcodes.ALOAD, 0));
                c.add(new FieldInsnNode(Opcodes.GETFIELD, cls.name, f.name, f.desc));
                c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, ShelfNames.REUSE, "scrub", "(Ljava/lang/Object;)V",
                        false));
                continue;
            }
            if (kind == OwnedFields.Kind.CHILD) {
                c.add(new VarInsnNode(Opcodes.ALOAD, 0));
                c.add(new FieldInsnNode(Opcodes.GETFIELD, cls.name, f.name, f.desc));
                c.add(new MethodInsnNode(Opcodes.INVOKESTATIC, ShelfNames.RELEASE, "ifPresent",
                        "(Ljava/lang/Object;)V", false));
            }
            c.add(new VarInsnNode(Opcodes.ALOAD, 0));
            c.add(new InsnNode(Opcodes.ACONST_NULL));
            c.add(new FieldInsnNode(Opcodes.PUTFIELD, cls.name, f.name, f.desc));
        }
        c.add(new InsnNode(Opcodes.RETURN));
        cls.methods.add(m);
    }
}
