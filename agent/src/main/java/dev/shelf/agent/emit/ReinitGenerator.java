package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.plan.AllocationPairing;
import dev.shelf.agent.plan.OwnedFields;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates, for each constructor of a pooled class, an instance method {@code $shelf$reinit} with the same
 * parameters that puts an existing object into exactly the state the constructor would give a fresh one.
 *
 * <p>A constructor cannot be run twice on one object (the verifier only lets {@code <init>} run on an uninitialised
 * reference), so the re-initialiser is a copy of the constructor's own bytecode — field initialisers, initialiser
 * blocks, loops, side effects and all, since javac inlines the first two into every constructor that calls
 * {@code super}. Three changes make the copy a re-initialiser:
 * <ol>
 *   <li>It first resets every instance field the class declares to its default value. A constructor assigns only
 *       some fields; the rest are fresh only because the JVM zeroes new memory. Reset first, then run the
 *       constructor's code, and a field the constructor never touches is back to zero/null/false too.</li>
 *   <li>The {@code super(...)} call becomes: nothing (the receiver is popped) when the superclass is {@code Object};
 *       the superclass's own re-initialiser when the superclass is pooled. A {@code this(...)} call becomes this
 *       class's re-initialiser for that constructor, which resets the fields itself.</li>
 *   <li>Instance fields lose {@code ACC_FINAL}: class files from Java 9 on reject a {@code putfield} of a final field
 *       outside {@code <init>}. This happens at load time, when a transformer may still change a class's shape.</li>
 * </ol>
 * Fields the object {@linkplain OwnedFields owns} — containers and primitive arrays its constructor always makes
 * itself — are not reset but emptied and kept, so a re-used request object keeps its grown list and its buffer.
 * If re-initialisation throws, the exception propagates from the factory just as it would from {@code new}, and the
 * half-built object is dropped, never pooled.
 */
public final class ReinitGenerator {

    private ReinitGenerator() {
    }

    /**
     * Adds a re-initialiser for every constructor of {@code cls} and strips {@code final} from its instance fields.
     *
     * @param cls         the class, changed in place; its constructors may already have rewritten sites
     * @param superPooled whether the superclass is a pooled class (otherwise it must be {@code java/lang/Object})
     * @return the fields the class owns, which release scrubs and re-initialisation reuses
     * @throws AnalyzerException     when a constructor's data flow cannot be analysed
     * @throws IllegalStateException when a constructor has no single super/this call
     */
    public static OwnedFields addReinitializers(ClassNode cls, boolean superPooled) throws AnalyzerException {
        Map<MethodNode, MethodInsnNode> selfInits = new LinkedHashMap<>();
        for (MethodNode ctor : cls.methods) {
            if (ctor.name.equals("<init>")) {
                AllocationPairing pairing = AllocationPairing.pair(cls.name, ctor, false);
                if (pairing.selfInit() == null) {
                    throw new IllegalStateException("constructor " + ctor.desc + ": " + pairing.selfInitProblem());
                }
                selfInits.put(ctor, pairing.selfInit());
            }
        }
        OwnedFields owned = OwnedFields.of(cls, selfInits);
        List<MethodNode> reinits = new ArrayList<>();
        for (Map.Entry<MethodNode, MethodInsnNode> e : selfInits.entrySet()) {
            reinits.add(reinitFor(cls, e.getKey(), e.getValue(), superPooled, owned));
        }
        cls.methods.addAll(reinits);
        for (FieldNode f : cls.fields) {
            if ((f.access & Opcodes.ACC_STATIC) == 0) {
                f.access &= ~Opcodes.ACC_FINAL;
            }
        }
        return owned;
    }

    private static MethodNode reinitFor(ClassNode cls, MethodNode ctor, MethodInsnNode self, boolean superPooled,
                                        OwnedFields owned) {
        String[] exceptions = ctor.exceptions == null ? null : ctor.exceptions.toArray(new String[0]);
        MethodNode reinit = new MethodNode(Opcodes.ASM9, Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNTHETIC,
                ShelfNames.REINIT, ctor.desc, ctor.signature, exceptions);

        Map<LabelNode, LabelNode> labels = new HashMap<>();
        for (AbstractInsnNode insn = ctor.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof LabelNode l) {
                labels.put(l, new LabelNode());
            }
        }
        boolean delegatesToThis = self.owner.equals(cls.name);
        if (!delegatesToThis) {
            reinit.instructions.add(fieldResets(cls, owned));
        }
        Map<AbstractInsnNode, OwnedFields.Assignment> reuse = new HashMap<>();
        for (OwnedFields.Assignment a : owned.assignmentsIn(ctor)) {
            if (a.kind() != OwnedFields.Kind.CHILD) {
                reuse.put(a.first(), a);
            }
        }
        for (AbstractInsnNode insn = ctor.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            OwnedFields.Assignment a = reuse.get(insn);
            if (insn == self) {
                reinit.instructions.add(replacementForSelfInit(cls, self, delegatesToThis, superPooled));
            } else if (a != null) {
                insn = reuseOrAllocate(cls, owned, a, labels, reinit.instructions, spareLocal(ctor));
            } else {
                reinit.instructions.add(insn.clone(labels));
            }
        }
        for (TryCatchBlockNode tcb : ctor.tryCatchBlocks) {
            reinit.tryCatchBlocks.add(new TryCatchBlockNode(labels.get(tcb.start), labels.get(tcb.end),
                    labels.get(tcb.handler), tcb.type));
        }
        if (ctor.localVariables != null) {
            reinit.localVariables = new ArrayList<>();
            for (LocalVariableNode lv : ctor.localVariables) {
                reinit.localVariables.add(new LocalVariableNode(lv.name, lv.desc, lv.signature, labels.get(lv.start),
                        labels.get(lv.end), lv.index));
            }
        }
        return reinit;
    }

    /**
     * Emits the re-initialising form of one owned-value assignment ({@code this.f = <value>}, from the instruction
     * after {@code ALOAD 0} to the {@code PUTFIELD}), and returns the {@code PUTFIELD}, where copying resumes:
     * <ul>
     *   <li>an array: the length expression, copied, then {@code Reuse.bytes(length, this.f)} (or the method for the
     *       element type), which zeroes and returns the kept array when it has that length and allocates otherwise —
     *       no branch here, and the length is computed once, as in the constructor;</li>
     *   <li>a container: the kept one, emptied, if it is of exactly the class the constructor makes (and, for a
     *       computed capacity, that capacity is one the constructor accepts); else the constructor's own
     *       expression. A computed capacity is evaluated once, into a spare local.</li>
     * </ul>
     * Either way the field is written only when its value changed: an unchanged reference stored into an object
     * that lives in the old generation would still dirty a card for the collector to scan.
     */
    private static AbstractInsnNode reuseOrAllocate(ClassNode cls, OwnedFields owned, OwnedFields.Assignment a,
                                                    Map<LabelNode, LabelNode> labels, InsnList out, int spareLocal) {
        String fieldDesc = fieldDesc(cls, a.field());
        if (a.kind() == OwnedFields.Kind.ARRAY) {
            // an owned ARRAY ends in NEWARRAY, whose operand is a T_ code
            String element = java.util.Objects.requireNonNull(
                    OwnedFields.ARRAY_ELEMENTS.get(((IntInsnNode) a.last()).operand));
            String arrayDesc = "[" + element;
            copy(a.first(), a.last(), labels, out, true);
            out.add(new VarInsnNode(Opcodes.ALOAD, 0));
            out.add(new FieldInsnNode(Opcodes.GETFIELD, cls.name, a.field(), fieldDesc));
            if (!fieldDesc.equals(arrayDesc)) {
                out.add(new TypeInsnNode(Opcodes.CHECKCAST, arrayDesc));
            }
            out.add(RuntimeAbi.reuseArray(element, owned.isScratch(a.field())).insn());
        } else {
            String madeType = ((TypeInsnNode) a.first()).desc;
            boolean computed = a.computedCapacity();
            if (computed) {
                AbstractInsnNode sizeFirst = java.util.Objects.requireNonNull(a.sizeFirst()); // computedCapacity: set
                copy(a.first(), sizeFirst, labels, out, false);
                copy(sizeFirst, a.last(), labels, out, true);
                out.add(new VarInsnNode(Opcodes.ISTORE, spareLocal));
            }
            out.add(new VarInsnNode(Opcodes.ALOAD, 0));
            out.add(new FieldInsnNode(Opcodes.GETFIELD, cls.name, a.field(), fieldDesc));
            out.add(new LdcInsnNode(Type.getObjectType(madeType)));
            if (computed) {
                out.add(new VarInsnNode(Opcodes.ILOAD, spareLocal));
                out.add(RuntimeAbi.REUSE_CLEARED_CAPACITY.insn());
            } else {
                out.add(RuntimeAbi.REUSE_CLEARED.insn());
            }
            LabelNode keep = new LabelNode();
            out.add(new InsnNode(Opcodes.DUP));
            out.add(new JumpInsnNode(Opcodes.IFNONNULL, keep));
            out.add(new InsnNode(Opcodes.POP));
            if (computed) {
                out.add(new TypeInsnNode(Opcodes.NEW, madeType));
                out.add(new InsnNode(Opcodes.DUP));
                out.add(new VarInsnNode(Opcodes.ILOAD, spareLocal));
                out.add(new MethodInsnNode(Opcodes.INVOKESPECIAL, madeType, "<init>", "(I)V", false));
            } else {
                copy(a.first(), a.last().getNext(), labels, out, true);
            }
            out.add(keep);
            out.add(new TypeInsnNode(Opcodes.CHECKCAST, madeType));
        }
        copy(a.last().getNext(), a.put(), labels, out, false);
        // [this, value]: store it only if it is not what the field holds already
        LabelNode store = new LabelNode();
        LabelNode done = new LabelNode();
        out.add(new InsnNode(Opcodes.DUP));
        out.add(new VarInsnNode(Opcodes.ALOAD, 0));
        out.add(new FieldInsnNode(Opcodes.GETFIELD, cls.name, a.field(), fieldDesc));
        out.add(new JumpInsnNode(Opcodes.IF_ACMPNE, store));
        out.add(new InsnNode(Opcodes.POP2));
        out.add(new JumpInsnNode(Opcodes.GOTO, done));
        out.add(store);
        out.add(a.put().clone(labels));
        out.add(done);
        return a.put();
    }

    /**
     * Copies the instructions in {@code [from, to)}; with {@code code == false} only the labels and line numbers
     * among them (what is left out is replaced, but a label may still be a local variable's bound).
     */
    private static void copy(AbstractInsnNode from, AbstractInsnNode to, Map<LabelNode, LabelNode> labels,
                             InsnList out, boolean code) {
        for (AbstractInsnNode i = from; i != null && i != to; i = i.getNext()) {
            if (code || i instanceof LabelNode || i instanceof LineNumberNode) {
                out.add(i.clone(labels));
            }
        }
    }

    /** A local variable slot the constructor never uses, for a computed capacity. */
    private static int spareLocal(MethodNode ctor) {
        int spare = ctor.maxLocals;
        for (AbstractInsnNode i = ctor.instructions.getFirst(); i != null; i = i.getNext()) {
            if (i instanceof VarInsnNode v) {
                int op = v.getOpcode();
                boolean wide = op == Opcodes.LLOAD || op == Opcodes.DLOAD || op == Opcodes.LSTORE
                        || op == Opcodes.DSTORE;
                spare = Math.max(spare, v.var + (wide ? 2 : 1));
            } else if (i instanceof org.objectweb.asm.tree.IincInsnNode inc) {
                spare = Math.max(spare, inc.var + 1);
            }
        }
        return spare;
    }

    private static String fieldDesc(ClassNode cls, String name) {
        for (FieldNode f : cls.fields) {
            if (f.name.equals(name)) {
                return f.desc;
            }
        }
        throw new IllegalStateException("no field " + name);
    }

    private static AbstractInsnNode replacementForSelfInit(ClassNode cls, MethodInsnNode self, boolean toThis,
                                                           boolean superPooled) {
        if (toThis) {
            return new MethodInsnNode(Opcodes.INVOKESPECIAL, cls.name, ShelfNames.REINIT, self.desc, false);
        }
        if (superPooled) {
            return new MethodInsnNode(Opcodes.INVOKESPECIAL, cls.superName, ShelfNames.REINIT, self.desc, false);
        }
        // Object, or a superclass the catalog found stateless with a constructor that does nothing.
        if (!self.desc.equals("()V")) {
            throw new IllegalStateException("super(...) passes arguments to " + self.owner.replace('/', '.')
                    + ", which is not pooled");
        }
        return new InsnNode(Opcodes.POP);
    }

    /**
     * {@code this.f = 0/null/false} for every instance field the class declares, in declaration order — except owned
     * containers and arrays, which the constructor code reassigns unconditionally and which must survive until then
     * to be reused.
     */
    static InsnList fieldResets(ClassNode cls, OwnedFields owned) {
        InsnList out = new InsnList();
        for (FieldNode f : cls.fields) {
            OwnedFields.Kind kind = owned.owned().get(f.name);
            if ((f.access & Opcodes.ACC_STATIC) != 0 || f.name.startsWith(ShelfNames.PREFIX)
                    || kind == OwnedFields.Kind.CONTAINER || kind == OwnedFields.Kind.ARRAY) {
                continue;
            }
            Type type = Type.getType(f.desc);
            LabelNode skip = null;
            if (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY) {
                // A null stored over null would still cost the collector's barrier: only clear what is set
                // (release has cleared most references already).
                skip = new LabelNode();
                out.add(new VarInsnNode(Opcodes.ALOAD, 0));
                out.add(new FieldInsnNode(Opcodes.GETFIELD, cls.name, f.name, f.desc));
                out.add(new JumpInsnNode(Opcodes.IFNULL, skip));
            }
            out.add(new VarInsnNode(Opcodes.ALOAD, 0));
            out.add(new InsnNode(defaultValueOpcode(type)));
            out.add(new FieldInsnNode(Opcodes.PUTFIELD, cls.name, f.name, f.desc));
            if (skip != null) {
                out.add(skip);
            }
        }
        return out;
    }

    private static int defaultValueOpcode(Type t) {
        return switch (t.getSort()) {
            case Type.LONG -> Opcodes.LCONST_0;
            case Type.FLOAT -> Opcodes.FCONST_0;
            case Type.DOUBLE -> Opcodes.DCONST_0;
            case Type.OBJECT, Type.ARRAY -> Opcodes.ACONST_NULL;
            default -> Opcodes.ICONST_0;
        };
    }
}
