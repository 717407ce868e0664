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
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives an instantiable pooled class its pool and its factories.
 *
 * <ul>
 *   <li>{@code implements Recyclable}: an {@code int $shelf$state}, {@code site << 1 | released}. The factory sets
 *       it to {@code site << 1} whenever it hands an object out (reused or allocated, so that a reused object equals
 *       a fresh one from the same site, Shelf's own field included); {@code $shelf$release()} sets the released bit by
 *       compare-and-set (a second release of the same object fails it and is refused), scrubs, and hands the object
 *       to {@code $shelf$pool} with the site it remembered, so releases are counted for the site that acquired the
 *       object whichever thread releases it.</li>
 *   <li>{@code private static final ClassShelf $shelf$pool}, set first thing in the static initialiser (before any
 *       code of the class's own that might already allocate one) by {@code ShelfRegistry.register}.</li>
 *   <li>For each constructor, {@code public static T $shelf$new(int site, same parameters)}: take an idle object
 *       from the pool for that site and run the matching {@code $shelf$reinit} on it, or allocate with the original
 *       constructor when the pool is empty. Rewritten sites pass their number ({@code Sites.register}) as a
 *       constant. This is the whole hot path of a rewritten {@code new}; it is small so that the JIT inlines it
 *       into the call site, and {@code $shelf$pool} is a static final the JIT treats as a constant.</li>
 * </ul>
 */
public final class PoolMembersGenerator {

    private PoolMembersGenerator() {
    }

    /**
     * Adds the pool field, the registration and the factories.
     *
     * @param cls          the class, changed in place; its re-initialisers must exist
     * @param maxPerThread {@code @Pooled(maxPerThread)}, 0 for the default
     * @param maxShared    {@code @Pooled(maxShared)}, -1 for the default
     */
    public static void addPoolMembers(ClassNode cls, int maxPerThread, int maxShared, boolean strict) {
        addPoolMembers(cls, maxPerThread, maxShared, strict, "");
    }

    /**
     * {@link #addPoolMembers(ClassNode, int, int, boolean)}, telling the pool what the constructors allocate into
     * fields: the arrays reuse keeps (its size estimate) and those it makes anew (the exit report's advisory).
     *
     * @param fieldLines the lines of {@link OwnedFields#fieldLines()}, passed to the registration as a constant;
     *                   empty for none
     */
    public static void addPoolMembers(ClassNode cls, int maxPerThread, int maxShared, boolean strict,
                                      String fieldLines) {
        cls.fields.add(new FieldNode(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL
                | Opcodes.ACC_SYNTHETIC, ShelfNames.POOL_FIELD, RuntimeAbi.CLASS_SHELF.descriptor(), null, null));
        cls.fields.add(new FieldNode(Opcodes.ACC_PRIVATE | Opcodes.ACC_TRANSIENT | Opcodes.ACC_SYNTHETIC,
                ShelfNames.STATE_FIELD, "I", null, null));
        cls.fields.add(new FieldNode(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL
                | Opcodes.ACC_SYNTHETIC, ShelfNames.STATE_HANDLE, VAR_HANDLE, null, null));
        cls.interfaces.add(RuntimeAbi.RECYCLABLE.internalName());
        prependRegistration(cls, maxPerThread, maxShared, fieldLines);
        cls.methods.add(release(cls.name, strict));
        cls.methods.add(isReleased(cls.name));
        if (strict) {
            addReleaseSite(cls);
        }
        List<MethodNode> factories = new ArrayList<>();
        for (MethodNode m : cls.methods) {
            if (m.name.equals("<init>")) {
                factories.add(factory(cls.name, m.desc, strict));
            }
        }
        cls.methods.addAll(factories);
    }

    private static void prependRegistration(ClassNode cls, int maxPerThread, int maxShared, String fieldLines) {
        InsnList reg = new InsnList();
        reg.add(new LdcInsnNode(Type.getObjectType(cls.name)));
        reg.add(new LdcInsnNode(maxPerThread));
        reg.add(new LdcInsnNode(maxShared));
        if (fieldLines.isEmpty()) {
            reg.add(RuntimeAbi.REGISTER.insn());
        } else {
            reg.add(new LdcInsnNode(fieldLines));
            reg.add(RuntimeAbi.REGISTER_FIELDS.insn());
        }
        reg.add(new FieldInsnNode(Opcodes.PUTSTATIC, cls.name, ShelfNames.POOL_FIELD,
                RuntimeAbi.CLASS_SHELF.descriptor()));
        reg.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                "()Ljava/lang/invoke/MethodHandles$Lookup;", false));
        reg.add(new LdcInsnNode(Type.getObjectType(cls.name)));
        reg.add(new LdcInsnNode(ShelfNames.STATE_FIELD));
        reg.add(new FieldInsnNode(Opcodes.GETSTATIC, "java/lang/Integer", "TYPE", "Ljava/lang/Class;"));
        reg.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandles$Lookup", "findVarHandle",
                "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/Class;)" + VAR_HANDLE, false));
        reg.add(new FieldInsnNode(Opcodes.PUTSTATIC, cls.name, ShelfNames.STATE_HANDLE, VAR_HANDLE));
        for (MethodNode m : cls.methods) {
            if (m.name.equals("<clinit>")) {
                m.instructions.insert(reg);
                return;
            }
        }
        MethodNode clinit = new MethodNode(Opcodes.ASM9, Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.instructions.add(reg);
        clinit.instructions.add(new InsnNode(Opcodes.RETURN));
        cls.methods.add(clinit);
    }

    private static MethodNode factory(String owner, String ctorDesc, boolean strict) {
        MethodNode f = new MethodNode(Opcodes.ASM9, Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                ShelfNames.FACTORY, ShelfNames.factoryDesc(owner, ctorDesc), null, null);
        int site = 0; // first, so that a site can push it where NEW and DUP were (SitePatcher)
        InsnList c = f.instructions;
        LabelNode allocate = new LabelNode();
        c.add(new FieldInsnNode(Opcodes.GETSTATIC, owner, ShelfNames.POOL_FIELD, RuntimeAbi.CLASS_SHELF.descriptor()));
        c.add(new VarInsnNode(Opcodes.ILOAD, site));
        c.add(RuntimeAbi.ACQUIRE.insn());
        c.add(new InsnNode(Opcodes.DUP));
        c.add(new JumpInsnNode(Opcodes.IFNULL, allocate));
        c.add(new TypeInsnNode(Opcodes.CHECKCAST, owner));
        // state: site << 1, "in use, from this site" — the value a fresh object from this site gets below, so that
        // not even Shelf's own field tells a reused object from a new one.
        c.add(new InsnNode(Opcodes.DUP));                            // t t      (return value, reinit receiver)
        c.add(new InsnNode(Opcodes.DUP));                            // t t t    (putfield)
        storeState(c, owner, site);
        if (strict) {
            c.add(new InsnNode(Opcodes.DUP));
            c.add(new InsnNode(Opcodes.ACONST_NULL));
            c.add(new FieldInsnNode(Opcodes.PUTFIELD, owner, ShelfNames.RELEASED_AT, "Ljava/lang/Throwable;"));
        }
        loadArguments(c, ctorDesc, 1);
        c.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, owner, ShelfNames.REINIT, ctorDesc, false));
        c.add(new InsnNode(Opcodes.ARETURN));
        c.add(allocate);
        c.add(new InsnNode(Opcodes.POP));
        c.add(new TypeInsnNode(Opcodes.NEW, owner));
        c.add(new InsnNode(Opcodes.DUP));
        loadArguments(c, ctorDesc, 1);
        c.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, owner, "<init>", ctorDesc, false));
        c.add(new InsnNode(Opcodes.DUP));
        storeState(c, owner, site);
        c.add(new InsnNode(Opcodes.ARETURN));
        return f;
    }

    /** {@code obj.$shelf$state = site << 1}, consuming {@code obj} from the stack. */
    private static void storeState(InsnList c, String owner, int siteSlot) {
        c.add(new VarInsnNode(Opcodes.ILOAD, siteSlot));
        c.add(new InsnNode(Opcodes.ICONST_1));
        c.add(new InsnNode(Opcodes.ISHL));
        c.add(new FieldInsnNode(Opcodes.PUTFIELD, owner, ShelfNames.STATE_FIELD, "I"));
    }

    /**
     * {@code public boolean $shelf$release()}: one compare-and-set of the released bit — so that of two releases of
     * the same object, even racing on two threads, exactly one succeeds — then the scrub, then
     * {@code $shelf$pool.release(this, site)}. A release that loses is handed to {@code $shelf$pool.refuse(this, site)}
     * (counted, reported, thrown in strict mode). In strict mode the winner also records where it was released.
     *
     * <p>The state is {@code site << 1} while in use (as in a fresh object from that site) and {@code site << 1 | 1}
     * once released. What no flag can catch is a release that comes after the object was handed out again: that is a
     * release of the new holder's object, indistinguishable from a legitimate one (strict mode reports the uses
     * around it).
     */
    private static MethodNode release(String owner, boolean strict) {
        MethodNode m = RuntimeAbi.RELEASE_CALLBACK.newMethod();
        InsnList c = m.instructions;
        String pool = RuntimeAbi.CLASS_SHELF.descriptor();
        LabelNode mine = new LabelNode();
        LabelNode refused = new LabelNode();
        // An object of an unpooled subclass inherits this method; it has no pool and must not be scrubbed.
        c.add(new VarInsnNode(Opcodes.ALOAD, 0));
        c.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/Object", "getClass", "()Ljava/lang/Class;",
                false));
        c.add(new LdcInsnNode(Type.getObjectType(owner)));
        c.add(new JumpInsnNode(Opcodes.IF_ACMPEQ, mine));
        c.add(new InsnNode(Opcodes.ICONST_0));
        c.add(new InsnNode(Opcodes.IRETURN));
        c.add(mine);
        c.add(new VarInsnNode(Opcodes.ALOAD, 0));
        c.add(new FieldInsnNode(Opcodes.GETFIELD, owner, ShelfNames.STATE_FIELD, "I"));
        c.add(new VarInsnNode(Opcodes.ISTORE, 1));                   // state, in use: site << 1
        c.add(new VarInsnNode(Opcodes.ILOAD, 1));
        c.add(new InsnNode(Opcodes.ICONST_1));
        c.add(new InsnNode(Opcodes.IAND));
        c.add(new JumpInsnNode(Opcodes.IFNE, refused));              // already released: no CAS needed to refuse
        c.add(new FieldInsnNode(Opcodes.GETSTATIC, owner, ShelfNames.STATE_HANDLE, VAR_HANDLE));
        c.add(new VarInsnNode(Opcodes.ALOAD, 0));
        c.add(new VarInsnNode(Opcodes.ILOAD, 1));
        c.add(new VarInsnNode(Opcodes.ILOAD, 1));
        c.add(new InsnNode(Opcodes.ICONST_1));
        c.add(new InsnNode(Opcodes.IOR));
        c.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/VarHandle", "compareAndSet",
                "(L" + owner + ";II)Z", false));
        c.add(new JumpInsnNode(Opcodes.IFEQ, refused));              // a failed CAS: another release got there first
        if (strict) {
            c.add(new VarInsnNode(Opcodes.ALOAD, 0));
            c.add(RuntimeAbi.STRICT_RELEASED_HERE.insn());
            c.add(new FieldInsnNode(Opcodes.PUTFIELD, owner, ShelfNames.RELEASED_AT, "Ljava/lang/Throwable;"));
        }
        c.add(new VarInsnNode(Opcodes.ALOAD, 0));
        c.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, owner, ShelfNames.SCRUB, "()V", false));
        c.add(new FieldInsnNode(Opcodes.GETSTATIC, owner, ShelfNames.POOL_FIELD, pool));
        c.add(new VarInsnNode(Opcodes.ALOAD, 0));
        c.add(new VarInsnNode(Opcodes.ILOAD, 1));
        c.add(new InsnNode(Opcodes.ICONST_1));
        c.add(new InsnNode(Opcodes.IUSHR));
        c.add(RuntimeAbi.POOL_RELEASE.insn());
        c.add(new InsnNode(Opcodes.ICONST_1));
        c.add(new InsnNode(Opcodes.IRETURN));
        c.add(refused);
        c.add(new FieldInsnNode(Opcodes.GETSTATIC, owner, ShelfNames.POOL_FIELD, pool));
        c.add(new VarInsnNode(Opcodes.ALOAD, 0));
        c.add(new VarInsnNode(Opcodes.ILOAD, 1));
        c.add(new InsnNode(Opcodes.ICONST_1));
        c.add(new InsnNode(Opcodes.IUSHR));
        c.add(RuntimeAbi.POOL_REFUSE.insn());
        c.add(new InsnNode(Opcodes.ICONST_1));
        c.add(new InsnNode(Opcodes.IRETURN));
        m.maxLocals = 2;
        return m;
    }

    /** {@code public boolean $shelf$isReleased()}: the state's released bit, read plainly (strict mode's check). */
    private static MethodNode isReleased(String owner) {
        MethodNode m = RuntimeAbi.IS_RELEASED.newMethod();
        m.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
        m.instructions.add(new FieldInsnNode(Opcodes.GETFIELD, owner, ShelfNames.STATE_FIELD, "I"));
        m.instructions.add(new InsnNode(Opcodes.ICONST_1));
        m.instructions.add(new InsnNode(Opcodes.IAND));
        m.instructions.add(new InsnNode(Opcodes.IRETURN));
        return m;
    }

    /** Strict mode: a field remembering where the object was released, with its getter and setter. */
    private static void addReleaseSite(ClassNode cls) {
        String desc = "Ljava/lang/Throwable;";
        cls.fields.add(new FieldNode(Opcodes.ACC_PRIVATE | Opcodes.ACC_TRANSIENT | Opcodes.ACC_SYNTHETIC,
                ShelfNames.RELEASED_AT, desc, null, null));
        MethodNode get = RuntimeAbi.RELEASED_AT.newMethod();
        get.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
        get.instructions.add(new FieldInsnNode(Opcodes.GETFIELD, cls.name, ShelfNames.RELEASED_AT, desc));
        get.instructions.add(new InsnNode(Opcodes.ARETURN));
        MethodNode set = RuntimeAbi.SET_RELEASED_AT.newMethod();
        set.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
        set.instructions.add(new VarInsnNode(Opcodes.ALOAD, 1));
        set.instructions.add(new FieldInsnNode(Opcodes.PUTFIELD, cls.name, ShelfNames.RELEASED_AT, desc));
        set.instructions.add(new InsnNode(Opcodes.RETURN));
        cls.methods.add(get);
        cls.methods.add(set);
    }

    private static final String VAR_HANDLE = "Ljava/lang/invoke/VarHandle;";

    /** Loads the parameters of {@code desc} from the locals starting at {@code slot}. */
    private static void loadArguments(InsnList c, String desc, int slot) {
        for (Type t : Type.getArgumentTypes(desc)) {
            c.add(new VarInsnNode(t.getOpcode(Opcodes.ILOAD), slot));
            slot += t.getSize();
        }
    }
}
