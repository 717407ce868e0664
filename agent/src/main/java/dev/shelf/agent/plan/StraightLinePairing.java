package dev.shelf.agent.plan;

import dev.shelf.agent.emit.InPlaceSites;

import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Pairs {@code new} with its {@code <init>} in one linear pass, without a data-flow analysis — for the methods where
 * that can be proved, which are nearly all methods javac writes; {@code null} for the rest, which then go to
 * {@link AllocationPairing#analyze}.
 *
 * <p>Why: ASM's {@code Analyzer} computes a frame for every instruction of the method. On the application's first
 * rewritten class its classes load and run in the interpreter, and after that it is the largest part of rewriting
 * a class that allocates a pooled class. But javac compiles {@code new T(args)} to {@code NEW T; DUP; args;
 * INVOKESPECIAL T.<init>}, and when {@code args} is straight-line code the pairing needs no data flow at all.
 *
 * <p>The proof. The pass keeps a stack of open <em>regions</em>: a {@code NEW} followed by its {@code DUP} opens one,
 * with the two uninitialised references as its bottom two stack slots; in a constructor, before its
 * {@code super(...)}/{@code this(...)} call, an {@code ALOAD 0} outside any region opens a region whose bottom slot
 * is the uninitialised {@code this}. Inside a region the pass counts stack slots instruction by instruction. As long
 * as no instruction pops into a region's bottom slots, those slots still hold exactly what {@code NEW}/{@code DUP}
 * (or {@code ALOAD 0}) put there: nothing else can have touched them, since there are no jumps into or out of the
 * region. So the {@code <init>} that pops exactly down to them consumes that region's object. Anything else gives
 * up: a {@code NEW} without its {@code DUP}; a jump, switch, return or throw, a jump target or an exception-range
 * boundary inside a {@code NEW}'s region; an instruction that pops into a {@code NEW}'s uninitialised slots (a store,
 * a {@code DUP_X1} reaching them, ...); an {@code <init>} whose receiver is not a region's; subroutines; a
 * constructor that overwrites local 0 or has not exactly one {@code super}/{@code this} call. A {@code this} region
 * that something other than {@code <init>} pops (javac stores an inner class's outer instance before
 * {@code super(...)}) or that meets a jump simply closes: that {@code ALOAD 0} was not the receiver.
 *
 * <p>Code that cannot run is skipped, as the data-flow analysis skips it, so both find the same sites.
 */
public final class StraightLinePairing {

    /** The site index of a region opened by {@code ALOAD 0}: its bottom slot is the uninitialised {@code this}. */
    private static final int THIS = -1;

    private StraightLinePairing() {
    }

    /**
     * @param method the method, with instructions (frames are not needed)
     * @return every {@code new} paired with its constructor call and, in a constructor, its own
     *         {@code super}/{@code this} call; or {@code null} when this pass cannot prove the pairing
     */
    static AllocationPairing pair(MethodNode method) {
        AbstractInsnNode[] insns = method.instructions.toArray();
        boolean constructor = method.name.equals("<init>");
        Set<LabelNode> boundaries = new HashSet<>();
        for (AbstractInsnNode insn : insns) {
            if (insn.getOpcode() == Opcodes.JSR || insn.getOpcode() == Opcodes.RET) {
                return null; // subroutines: the data-flow analysis handles them
            }
            if (constructor && insn.getOpcode() == Opcodes.ASTORE && ((VarInsnNode) insn).var == 0) {
                return null; // local 0 might not be this
            }
            boundaries.addAll(AllocationPairing.jumpTargets(insn));
        }
        for (TryCatchBlockNode tcb : method.tryCatchBlocks) {
            boundaries.add(tcb.start);
            boundaries.add(tcb.end);
            boundaries.add(tcb.handler);
        }
        boolean[] reachable = reachable(method, insns);

        int[] regionSite = new int[8]; // index into news, or THIS
        int[] regionBase = new int[8];
        int regions = 0;
        int depth = 0; // stack slots above the outermost open region's bottom
        List<TypeInsnNode> news = new ArrayList<>();
        List<MethodInsnNode> inits = new ArrayList<>();
        MethodInsnNode selfInit = null;
        for (int i = 0; i < insns.length; i++) {
            AbstractInsnNode insn = insns[i];
            int op = insn.getOpcode();
            if (op < 0) {
                if (isBoundary(insn, boundaries)) {
                    if (regions > 0 && regionSite[regions - 1] != THIS) {
                        return null;
                    }
                    regions = 0; // a this region, if open, is no longer provably this
                }
                continue;
            }
            if (!reachable[i]) {
                if (regions > 0) {
                    return null;
                }
                continue;
            }
            if (op == Opcodes.NEW) {
                int dup = i + 1;
                while (dup < insns.length && insns[dup].getOpcode() < 0) {
                    if (isBoundary(insns[dup], boundaries)) {
                        return null;
                    }
                    dup++;
                }
                if (dup == insns.length || insns[dup].getOpcode() != Opcodes.DUP) {
                    return null;
                }
                if (regions == 0) {
                    depth = 0;
                }
                if (regions == regionSite.length) {
                    regionSite = java.util.Arrays.copyOf(regionSite, regions * 2);
                    regionBase = java.util.Arrays.copyOf(regionBase, regions * 2);
                }
                regionSite[regions] = news.size();
                regionBase[regions] = depth;
                regions++;
                depth += 2;
                news.add((TypeInsnNode) insn);
                inits.add(null);
                i = dup;
                continue;
            }
            if (regions == 0) {
                if (constructor && selfInit == null && op == Opcodes.ALOAD && ((VarInsnNode) insn).var == 0) {
                    regionSite[0] = THIS;
                    regionBase[0] = 0;
                    regions = 1;
                    depth = 1;
                } else if (op == Opcodes.INVOKESPECIAL && ((MethodInsnNode) insn).name.equals("<init>")) {
                    return null; // a receiver this pass did not follow
                }
                continue;
            }
            int inner = regionSite[regions - 1];
            int base = regionBase[regions - 1];
            if (endsStraightLine(op)) {
                if (inner != THIS) {
                    return null;
                }
                regions = 0;
                continue;
            }
            int pops = pops(insn);
            if (pops < 0) {
                return null; // an instruction this pass does not know
            }
            if (op == Opcodes.INVOKESPECIAL && ((MethodInsnNode) insn).name.equals("<init>")) {
                MethodInsnNode call = (MethodInsnNode) insn;
                if (inner != THIS && depth - pops == base + 1) {
                    inits.set(inner, call);
                } else if (inner == THIS && depth - pops == base && selfInit == null) {
                    selfInit = call;
                } else {
                    return null;
                }
                regions--;
                depth -= pops;
                continue;
            }
            if (depth - pops < base + (inner == THIS ? 1 : 2)) {
                if (inner != THIS) {
                    return null; // the argument code reaches the uninitialised references
                }
                regions = 0; // this was popped by something else (a field store): not the receiver
                continue;
            }
            depth += pushes(insn) - pops;
        }
        if (regions > 0 && regionSite[regions - 1] != THIS) {
            return null;
        }
        if (constructor && selfInit == null) {
            return null; // let the data-flow analysis say what is wrong
        }
        List<AllocationPairing.Site> sites = new ArrayList<>(news.size());
        for (int k = 0; k < news.size(); k++) {
            if (inits.get(k) == null) {
                return null;
            }
            sites.add(new AllocationPairing.Site(news.get(k), inits.get(k), true, null));
        }
        return AllocationPairing.withoutDataFlow(sites, selfInit, method);
    }

    /** A jump target, an exception range's start, end or handler, or a stack map frame: a join of control flow. */
    private static boolean isBoundary(AbstractInsnNode insn, Set<LabelNode> boundaries) {
        return (insn instanceof LabelNode l && boundaries.contains(l)) || insn instanceof FrameNode;
    }

    /** Jumps, switches, returns and throws: control leaves the straight line. Shared with {@link InPlaceSites}. */
    public static boolean endsStraightLine(int op) {
        return (op >= Opcodes.IFEQ && op <= Opcodes.RETURN) || op == Opcodes.ATHROW || op == Opcodes.IFNULL
                || op == Opcodes.IFNONNULL;
    }

    /**
     * Whether control can go on to the next instruction after {@code op}: not after an unconditional jump, a switch,
     * a return or a throw. Shared with {@link InPlaceSites}, which must find the same reachable code.
     */
    public static boolean fallsThrough(int op) {
        return !(op == Opcodes.GOTO || op == Opcodes.TABLESWITCH || op == Opcodes.LOOKUPSWITCH || op == Opcodes.ATHROW
                || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN));
    }

    /** Which instructions can run: from the start along jumps and fall-throughs, and into handlers of those. */
    private static boolean[] reachable(MethodNode method, AbstractInsnNode[] insns) {
        boolean[] seen = new boolean[insns.length];
        int[] work = new int[insns.length + 1];
        int top = 0;
        if (insns.length > 0) {
            work[top++] = 0;
        }
        boolean more = true;
        while (more) {
            while (top > 0) {
                int i = work[--top];
                while (i < insns.length && !seen[i]) {
                    seen[i] = true;
                    AbstractInsnNode insn = insns[i];
                    int op = insn.getOpcode();
                    for (LabelNode target : AllocationPairing.jumpTargets(insn)) {
                        int t = method.instructions.indexOf(target);
                        if (!seen[t]) {
                            if (top == work.length) {
                                work = java.util.Arrays.copyOf(work, top * 2);
                            }
                            work[top++] = t;
                        }
                    }
                    if (!fallsThrough(op)) {
                        break;
                    }
                    i++;
                }
            }
            more = false;
            for (TryCatchBlockNode tcb : method.tryCatchBlocks) {
                int handler = method.instructions.indexOf(tcb.handler);
                if (seen[handler]) {
                    continue;
                }
                int end = method.instructions.indexOf(tcb.end);
                for (int i = method.instructions.indexOf(tcb.start); i < end; i++) {
                    if (seen[i]) { // as in the Analyzer, labels in the range count too
                        work[top++] = handler;
                        more = true;
                        break;
                    }
                }
            }
        }
        return seen;
    }

    /** Stack slots an instruction pops (longs and doubles take two). */
    public static int pops(AbstractInsnNode insn) {
        int op = insn.getOpcode();
        return pops(op, descriptor(insn), op == Opcodes.MULTIANEWARRAY ? ((MultiANewArrayInsnNode) insn).dims : 0);
    }

    /** Stack slots an instruction pushes. */
    public static int pushes(AbstractInsnNode insn) {
        int size = 1;
        if (insn instanceof LdcInsnNode ldc) {
            Object c = ldc.cst;
            size = c instanceof ConstantDynamic d ? d.getSize() : c instanceof Long || c instanceof Double ? 2 : 1;
        }
        return pushes(insn.getOpcode(), descriptor(insn), size);
    }

    /** The descriptor of a field, method or call site instruction's operand; {@code null} for the others. */
    private static String descriptor(AbstractInsnNode insn) {
        if (insn instanceof FieldInsnNode f) {
            return f.desc;
        }
        if (insn instanceof MethodInsnNode m) {
            return m.desc;
        }
        return insn instanceof InvokeDynamicInsnNode i ? i.desc : null;
    }

    /**
     * Stack slots an instruction pops (longs and doubles take two), from what the tree and the bytes
     * ({@link InPlaceSites}) both know of it.
     *
     * @param op   the opcode, as ASM's tree has it ({@code LDC} for all three, no {@code xLOAD_n} forms)
     * @param desc the descriptor of a field, method or call site instruction's operand; else unused
     * @param dims {@code MULTIANEWARRAY}'s dimensions; else unused
     * @return the slots, or -1 for an opcode this pass does not know
     */
    public static int pops(int op, String desc, int dims) {
        switch (op) {
            case Opcodes.LDC:
            case Opcodes.GETSTATIC:
                return 0;
            case Opcodes.GETFIELD:
                return 1;
            case Opcodes.PUTSTATIC:
                return Type.getType(desc).getSize();
            case Opcodes.PUTFIELD:
                return 1 + Type.getType(desc).getSize();
            case Opcodes.INVOKEVIRTUAL:
            case Opcodes.INVOKESPECIAL:
            case Opcodes.INVOKEINTERFACE:
                return Type.getArgumentsAndReturnSizes(desc) >> 2; // includes the receiver
            case Opcodes.INVOKESTATIC:
            case Opcodes.INVOKEDYNAMIC:
                return (Type.getArgumentsAndReturnSizes(desc) >> 2) - 1;
            case Opcodes.MULTIANEWARRAY:
                return dims;
            default:
                return SIMPLE_POPS[op];
        }
    }

    /**
     * Stack slots an instruction pushes.
     *
     * @param op       the opcode, as for {@link #pops(int, String, int)}
     * @param desc     the descriptor of a field, method or call site instruction's operand; else unused
     * @param ldcSize  the size of an {@code LDC}'s constant (2 for a long, a double or such a dynamic constant)
     * @return the slots
     */
    public static int pushes(int op, String desc, int ldcSize) {
        switch (op) {
            case Opcodes.LDC:
                return ldcSize;
            case Opcodes.GETSTATIC:
            case Opcodes.GETFIELD:
                return Type.getType(desc).getSize();
            case Opcodes.INVOKEVIRTUAL:
            case Opcodes.INVOKESPECIAL:
            case Opcodes.INVOKEINTERFACE:
            case Opcodes.INVOKESTATIC:
            case Opcodes.INVOKEDYNAMIC:
                return Type.getArgumentsAndReturnSizes(desc) & 3;
            default:
                return SIMPLE_PUSHES[op];
        }
    }

    /** Stack slots popped and pushed by each opcode whose effect does not depend on its operand; -1 elsewhere. */
    private static final byte[] SIMPLE_POPS = new byte[256];
    private static final byte[] SIMPLE_PUSHES = new byte[256];

    static {
        java.util.Arrays.fill(SIMPLE_POPS, (byte) -1);
        effect(Opcodes.NOP, Opcodes.NOP, 0, 0);
        effect(Opcodes.ACONST_NULL, Opcodes.ICONST_5, 0, 1);
        effect(Opcodes.LCONST_0, Opcodes.LCONST_1, 0, 2);
        effect(Opcodes.FCONST_0, Opcodes.FCONST_2, 0, 1);
        effect(Opcodes.DCONST_0, Opcodes.DCONST_1, 0, 2);
        effect(Opcodes.BIPUSH, Opcodes.SIPUSH, 0, 1);
        for (int k = 0; k <= 4; k++) { // I, L, F, D, A (ASM's tree never has the xLOAD_n/xSTORE_n forms)
            int size = k == 1 || k == 3 ? 2 : 1;
            effect(Opcodes.ILOAD + k, Opcodes.ILOAD + k, 0, size);
            effect(Opcodes.ISTORE + k, Opcodes.ISTORE + k, size, 0);
        }
        for (int op = Opcodes.IALOAD; op <= Opcodes.SALOAD; op++) {
            effect(op, op, 2, op == Opcodes.LALOAD || op == Opcodes.DALOAD ? 2 : 1);
        }
        for (int op = Opcodes.IASTORE; op <= Opcodes.SASTORE; op++) {
            effect(op, op, op == Opcodes.LASTORE || op == Opcodes.DASTORE ? 4 : 3, 0);
        }
        effect(Opcodes.POP, Opcodes.POP, 1, 0);
        effect(Opcodes.POP2, Opcodes.POP2, 2, 0);
        effect(Opcodes.DUP, Opcodes.DUP, 1, 2);
        effect(Opcodes.DUP_X1, Opcodes.DUP_X1, 2, 3);
        effect(Opcodes.DUP_X2, Opcodes.DUP_X2, 3, 4);
        effect(Opcodes.DUP2, Opcodes.DUP2, 2, 4);
        effect(Opcodes.DUP2_X1, Opcodes.DUP2_X1, 3, 5);
        effect(Opcodes.DUP2_X2, Opcodes.DUP2_X2, 4, 6);
        effect(Opcodes.SWAP, Opcodes.SWAP, 2, 2);
        for (int op = Opcodes.IADD; op <= Opcodes.DREM; op++) { // I, L, F, D in turn
            boolean wide = (op - Opcodes.IADD) % 2 == 1;
            effect(op, op, wide ? 4 : 2, wide ? 2 : 1);
        }
        for (int op = Opcodes.INEG; op <= Opcodes.DNEG; op++) {
            boolean wide = (op - Opcodes.INEG) % 2 == 1;
            effect(op, op, wide ? 2 : 1, wide ? 2 : 1);
        }
        for (int op = Opcodes.ISHL; op <= Opcodes.LUSHR; op++) { // the shift distance is an int
            boolean wide = (op - Opcodes.ISHL) % 2 == 1;
            effect(op, op, wide ? 3 : 2, wide ? 2 : 1);
        }
        for (int op = Opcodes.IAND; op <= Opcodes.LXOR; op++) {
            boolean wide = (op - Opcodes.IAND) % 2 == 1;
            effect(op, op, wide ? 4 : 2, wide ? 2 : 1);
        }
        effect(Opcodes.IINC, Opcodes.IINC, 0, 0);
        int[][] conversions = {{Opcodes.I2L, 1, 2}, {Opcodes.I2F, 1, 1}, {Opcodes.I2D, 1, 2}, {Opcodes.L2I, 2, 1},
            {Opcodes.L2F, 2, 1}, {Opcodes.L2D, 2, 2}, {Opcodes.F2I, 1, 1}, {Opcodes.F2L, 1, 2}, {Opcodes.F2D, 1, 2},
            {Opcodes.D2I, 2, 1}, {Opcodes.D2L, 2, 2}, {Opcodes.D2F, 2, 1}, {Opcodes.I2B, 1, 1}, {Opcodes.I2C, 1, 1},
            {Opcodes.I2S, 1, 1}, {Opcodes.LCMP, 4, 1}, {Opcodes.FCMPL, 2, 1}, {Opcodes.FCMPG, 2, 1},
            {Opcodes.DCMPL, 4, 1}, {Opcodes.DCMPG, 4, 1}};
        for (int[] c : conversions) {
            effect(c[0], c[0], c[1], c[2]);
        }
        effect(Opcodes.NEWARRAY, Opcodes.ARRAYLENGTH, 1, 1); // NEWARRAY, ANEWARRAY, ARRAYLENGTH
        effect(Opcodes.CHECKCAST, Opcodes.INSTANCEOF, 1, 1);
        effect(Opcodes.MONITORENTER, Opcodes.MONITOREXIT, 1, 0);
        effect(Opcodes.MULTIANEWARRAY, Opcodes.MULTIANEWARRAY, 0, 1); // pops: the dimensions, see pops()
    }

    private static void effect(int fromOp, int toOp, int pops, int pushes) {
        for (int op = fromOp; op <= toOp; op++) {
            SIMPLE_POPS[op] = (byte) pops;
            SIMPLE_PUSHES[op] = (byte) pushes;
        }
    }
}
