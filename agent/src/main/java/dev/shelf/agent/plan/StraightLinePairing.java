package dev.shelf.agent.plan;

import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
 * {@code super(...)}) or that meets a jump simply closes: that {@code ALOAD 0} was not the receiver. A stack map
 * frame counts as a join like a jump target: a method whose frames are kept must have none inside a site.
 *
 * <p>Code that cannot run is skipped, as the data-flow analysis skips it, so both find the same sites.
 *
 * <p>One proof, two readers of the code: {@link #pair(MethodNode)} reads ASM's tree (any method, also one changed
 * or built by hand), and {@link InPlaceSites} reads the class file's code array without building a tree. Both hand
 * the proof a {@link Code}; the proof itself only sees positions, opcodes as ASM's tree has them, and the few
 * operands it needs.
 */
public final class StraightLinePairing {

    /** The site index of a region opened by {@code ALOAD 0}: its bottom slot is the uninitialised {@code this}. */
    private static final int THIS = -1;

    /**
     * One method's code as the proof reads it: positions {@code 0 .. size()-1} in code order. A position is an
     * instruction, or (in a tree) a label, line number or frame, which has opcode -1. The proof asks for an
     * instruction's operands only where it needs them.
     */
    public abstract static class Code {

        /** Returns the number of positions. */
        public abstract int size();

        /**
         * Returns the opcode at a position.
         *
         * @param i a position
         * @return its opcode as ASM's tree has it ({@code xLOAD}/{@code xSTORE} for the {@code _n} and {@code WIDE}
         *         forms, {@code LDC} for all three, {@code GOTO}/{@code JSR} for the {@code _W} forms); -1 when it
         *         is no instruction
         */
        public abstract int op(int i);

        /** Returns the local variable of the load or store at position {@code i}. */
        public abstract int var(int i);

        /**
         * Returns where a jump or switch goes.
         *
         * @return the positions the jump or switch at {@code i} can go to, or {@code null} when one of them is no
         *         position: then the proof gives up
         */
        public abstract int @Nullable [] targets(int i);

        /** Returns the number of exception handlers. */
        public abstract int handlers();

        /**
         * Returns one edge of an exception handler.
         *
         * @param h    an exception handler, in table order
         * @param edge 0 for the start of its range, 1 for the (exclusive) end, 2 for the handler
         * @return that position ({@link #size()} for an end at the end of the code), or -1 when it is none
         */
        public abstract int handlerEdge(int h, int edge);

        /**
         * Marks each position where the code has a stack map frame.
         *
         * @return {@code false} when the frames cannot be read: then the proof gives up
         */
        public abstract boolean markFrames(boolean[] joins);

        /** Returns whether the {@code INVOKESPECIAL} at {@code i} calls a constructor. */
        public abstract boolean isInit(int i);

        /** Returns the descriptor of the field, method or call site the instruction at {@code i} refers to. */
        public abstract @Nullable String desc(int i);

        /** Returns the dimensions of the {@code MULTIANEWARRAY} at {@code i}. */
        public abstract int dims(int i);

        /** Returns the stack slots the constant of the {@code LDC} at {@code i} takes. */
        public abstract int ldcSize(int i);
    }

    private StraightLinePairing() {
    }

    /**
     * Pairs on ASM's tree.
     *
     * @param method the method, with instructions; frames are not needed (those it has count as joins)
     * @return every {@code new} paired with its constructor call and, in a constructor, its own
     *         {@code super}/{@code this} call; or {@code null} when this pass cannot prove the pairing
     */
    static @Nullable AllocationPairing pair(MethodNode method) {
        return Tree.pair(method);
    }

    /**
     * The proof.
     *
     * @param code        the method's code
     * @param constructor whether the method is a constructor
     * @return the position of the constructor's own {@code super}/{@code this} call (-1 in any other method), then
     *         per {@code NEW} in code order the positions of the {@code NEW} and of its {@code <init>} call; or
     *         {@code null} when this pass cannot prove the pairing
     */
    public static int @Nullable [] pair(Code code, boolean constructor) {
        int n = code.size();
        boolean[] joins = new boolean[n + 1]; // a jump target, an exception range's edge or handler, a frame
        for (int i = 0; i < n; i++) {
            int op = code.op(i);
            if (op == Opcodes.JSR || op == Opcodes.RET) {
                return null; // subroutines: the data-flow analysis handles them
            }
            if (constructor && op == Opcodes.ASTORE && code.var(i) == 0) {
                return null; // local 0 might not be this
            }
            if (jumps(op)) {
                int[] targets = code.targets(i);
                if (targets == null) {
                    return null;
                }
                for (int t : targets) {
                    joins[t] = true;
                }
            }
        }
        int handlers = code.handlers();
        for (int h = 0; h < handlers; h++) {
            for (int edge = 0; edge < 3; edge++) {
                int at = code.handlerEdge(h, edge);
                if (at < 0 || at > n || (edge == 2 && at == n)) {
                    return null;
                }
                joins[at] = true;
            }
        }
        if (!code.markFrames(joins)) {
            return null;
        }
        boolean[] reachable = reachable(code, n, handlers);

        int[] regionSite = new int[8]; // index of the NEW among the sites, or THIS
        int[] regionBase = new int[8];
        int regions = 0;
        int depth = 0; // stack slots above the outermost open region's bottom
        int[] out = new int[17]; // the self call, then two positions per NEW; the <init> filled in when paired
        out[0] = -1;
        int news = 0;
        for (int i = 0; i < n; i++) {
            if (joins[i]) {
                if (regions > 0 && regionSite[regions - 1] != THIS) {
                    return null;
                }
                regions = 0; // a this region, if open, is no longer provably this
            }
            int op = code.op(i);
            if (op < 0) {
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
                while (dup < n && code.op(dup) < 0) {
                    if (joins[dup]) {
                        return null;
                    }
                    dup++;
                }
                if (dup == n || joins[dup] || code.op(dup) != Opcodes.DUP) {
                    return null;
                }
                if (regions == 0) {
                    depth = 0;
                }
                if (regions == regionSite.length) {
                    regionSite = java.util.Arrays.copyOf(regionSite, regions * 2);
                    regionBase = java.util.Arrays.copyOf(regionBase, regions * 2);
                }
                if (1 + 2 * news == out.length) {
                    out = java.util.Arrays.copyOf(out, 1 + 4 * news);
                }
                regionSite[regions] = news;
                regionBase[regions] = depth;
                regions++;
                depth += 2;
                out[1 + 2 * news] = i;
                out[2 + 2 * news] = -1;
                news++;
                i = dup;
                continue;
            }
            boolean init = op == Opcodes.INVOKESPECIAL && code.isInit(i);
            if (regions == 0) {
                if (constructor && out[0] < 0 && op == Opcodes.ALOAD && code.var(i) == 0) {
                    regionSite[0] = THIS;
                    regionBase[0] = 0;
                    regions = 1;
                    depth = 1;
                } else if (init) {
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
            String desc = op >= Opcodes.GETSTATIC && op <= Opcodes.INVOKEDYNAMIC ? code.desc(i) : null;
            int pops = pops(op, desc, op == Opcodes.MULTIANEWARRAY ? code.dims(i) : 0);
            if (pops < 0) {
                return null; // an instruction this pass does not know
            }
            if (init) {
                if (inner != THIS && depth - pops == base + 1) {
                    out[2 + 2 * inner] = i;
                } else if (inner == THIS && depth - pops == base && out[0] < 0) {
                    out[0] = i;
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
            depth += pushes(op, desc, op == Opcodes.LDC ? code.ldcSize(i) : 1) - pops;
        }
        if (regions > 0 && regionSite[regions - 1] != THIS) {
            return null;
        }
        if (constructor && out[0] < 0) {
            return null; // let the data-flow analysis say what is wrong
        }
        for (int k = 0; k < news; k++) {
            if (out[2 + 2 * k] < 0) {
                return null;
            }
        }
        return java.util.Arrays.copyOf(out, 1 + 2 * news);
    }

    /** Jumps (a {@code JSR} too) and switches: the instructions with targets. */
    private static boolean jumps(int op) {
        return (op >= Opcodes.IFEQ && op <= Opcodes.JSR) || op == Opcodes.TABLESWITCH || op == Opcodes.LOOKUPSWITCH
                || op == Opcodes.IFNULL || op == Opcodes.IFNONNULL;
    }

    /** Jumps, switches, returns and throws: control leaves the straight line. */
    private static boolean endsStraightLine(int op) {
        return (op >= Opcodes.IFEQ && op <= Opcodes.RETURN) || op == Opcodes.ATHROW || op == Opcodes.IFNULL
                || op == Opcodes.IFNONNULL;
    }

    /**
     * Whether control can go on to the next position after {@code op}: not after an unconditional jump, a switch,
     * a return or a throw (a position that is no instruction, -1, falls through).
     */
    private static boolean fallsThrough(int op) {
        return !(op == Opcodes.GOTO || op == Opcodes.TABLESWITCH || op == Opcodes.LOOKUPSWITCH || op == Opcodes.ATHROW
                || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN));
    }

    /**
     * Which positions can run: from the start along jumps and fall-throughs, and into the handlers of ranges with a
     * position that can run (as in ASM's Analyzer, a tree's labels in a range count too).
     */
    private static boolean[] reachable(Code code, int n, int handlers) {
        boolean[] seen = new boolean[n];
        int[] work = new int[n + 1];
        int top = 0;
        if (n > 0) {
            work[top++] = 0;
        }
        boolean more = true;
        while (more) {
            while (top > 0) {
                int i = work[--top];
                while (i < n && !seen[i]) {
                    seen[i] = true;
                    int op = code.op(i);
                    if (jumps(op)) {
                        for (int t : java.util.Objects.requireNonNull(code.targets(i))) { // checked by pair() already
                            if (!seen[t]) {
                                if (top == work.length) {
                                    work = java.util.Arrays.copyOf(work, top * 2);
                                }
                                work[top++] = t;
                            }
                        }
                    }
                    if (!fallsThrough(op)) {
                        break;
                    }
                    i++;
                }
            }
            more = false;
            for (int h = 0; h < handlers; h++) {
                int handler = code.handlerEdge(h, 2);
                if (seen[handler]) {
                    continue;
                }
                int end = code.handlerEdge(h, 1);
                for (int i = code.handlerEdge(h, 0); i < end; i++) {
                    if (seen[i]) {
                        if (top == work.length) {
                            work = java.util.Arrays.copyOf(work, top * 2);
                        }
                        work[top++] = handler;
                        more = true;
                        break;
                    }
                }
            }
        }
        return seen;
    }

    /**
     * A method's tree as {@link Code}: every node is a position, in list order. (Only this class names it, so that
     * the bytes' way never loads it.)
     */
    private static final class Tree extends Code {

        /** {@link StraightLinePairing#pair(MethodNode)}. */
        static @Nullable AllocationPairing pair(MethodNode method) {
            Tree code = new Tree(method);
            int[] paired = StraightLinePairing.pair(code, method.name.equals("<init>"));
            if (paired == null) {
                return null;
            }
            List<AllocationPairing.Site> sites = new ArrayList<>(paired.length / 2);
            for (int k = 1; k < paired.length; k += 2) {
                sites.add(new AllocationPairing.Site((TypeInsnNode) code.insns[paired[k]],
                        (MethodInsnNode) code.insns[paired[k + 1]], true, null));
            }
            MethodInsnNode selfInit = paired[0] < 0 ? null : (MethodInsnNode) code.insns[paired[0]];
            return AllocationPairing.withoutDataFlow(sites, selfInit, method);
        }

        private final InsnList list;
        private final AbstractInsnNode[] insns;
        private final List<TryCatchBlockNode> tryCatchBlocks;

        Tree(MethodNode method) {
            list = method.instructions;
            insns = list.toArray();
            tryCatchBlocks = method.tryCatchBlocks;
        }

        @Override
        public int size() {
            return insns.length;
        }

        @Override
        public int op(int i) {
            return insns[i].getOpcode();
        }

        @Override
        public int var(int i) {
            return ((VarInsnNode) insns[i]).var;
        }

        @Override
        public int @Nullable [] targets(int i) {
            List<LabelNode> labels = AllocationPairing.jumpTargets(insns[i]);
            int[] out = new int[labels.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = list.indexOf(labels.get(k));
            }
            return out;
        }

        @Override
        public int handlers() {
            return tryCatchBlocks.size();
        }

        @Override
        public int handlerEdge(int h, int edge) {
            TryCatchBlockNode tcb = tryCatchBlocks.get(h);
            return list.indexOf(edge == 0 ? tcb.start : edge == 1 ? tcb.end : tcb.handler);
        }

        @Override
        public boolean markFrames(boolean[] joins) {
            for (int i = 0; i < insns.length; i++) {
                if (insns[i] instanceof FrameNode) {
                    joins[i] = true;
                }
            }
            return true;
        }

        @Override
        public boolean isInit(int i) {
            return ((MethodInsnNode) insns[i]).name.equals("<init>");
        }

        @Override
        public @Nullable String desc(int i) {
            return descriptor(insns[i]);
        }

        @Override
        public int dims(int i) {
            return ((MultiANewArrayInsnNode) insns[i]).dims;
        }

        @Override
        public int ldcSize(int i) {
            return StraightLinePairing.ldcSize((LdcInsnNode) insns[i]);
        }
    }

    /** Stack slots an instruction pops (longs and doubles take two). */
    static int pops(AbstractInsnNode insn) {
        int op = insn.getOpcode();
        return pops(op, descriptor(insn), op == Opcodes.MULTIANEWARRAY ? ((MultiANewArrayInsnNode) insn).dims : 0);
    }

    /** Stack slots an instruction pushes. */
    static int pushes(AbstractInsnNode insn) {
        return pushes(insn.getOpcode(), descriptor(insn), insn instanceof LdcInsnNode ldc ? ldcSize(ldc) : 1);
    }

    /** Stack slots an {@code LDC}'s constant takes: 2 for a long, a double or such a dynamic constant. */
    private static int ldcSize(LdcInsnNode ldc) {
        Object c = ldc.cst;
        return c instanceof ConstantDynamic d ? d.getSize() : c instanceof Long || c instanceof Double ? 2 : 1;
    }

    /** The descriptor of a field, method or call site instruction's operand; {@code null} for the others. */
    private static @Nullable String descriptor(AbstractInsnNode insn) {
        if (insn instanceof FieldInsnNode f) {
            return f.desc;
        }
        if (insn instanceof MethodInsnNode m) {
            return m.desc;
        }
        return insn instanceof InvokeDynamicInsnNode i ? i.desc : null;
    }

    /**
     * Stack slots an instruction pops (longs and doubles take two), from its opcode and the operands that matter.
     *
     * @param op   the opcode, as ASM's tree has it ({@code LDC} for all three, no {@code xLOAD_n} forms)
     * @param desc the descriptor of a field, method or call site instruction's operand; else unused
     * @param dims {@code MULTIANEWARRAY}'s dimensions; else unused
     * @return the slots, or -1 for an opcode this pass does not know
     */
    private static int pops(int op, @Nullable String desc, int dims) {
        return switch (op) {
            case Opcodes.LDC, Opcodes.GETSTATIC -> 0;
            case Opcodes.GETFIELD -> 1;
            case Opcodes.PUTSTATIC -> Type.getType(desc).getSize();
            case Opcodes.PUTFIELD -> 1 + Type.getType(desc).getSize();
            case Opcodes.INVOKEVIRTUAL, Opcodes.INVOKESPECIAL, Opcodes.INVOKEINTERFACE ->
                    Type.getArgumentsAndReturnSizes(desc) >> 2; // includes the receiver
            case Opcodes.INVOKESTATIC, Opcodes.INVOKEDYNAMIC -> (Type.getArgumentsAndReturnSizes(desc) >> 2) - 1;
            case Opcodes.MULTIANEWARRAY -> dims;
            default -> SIMPLE_POPS[op];
        };
    }

    /**
     * Stack slots an instruction pushes.
     *
     * @param op       the opcode, as for {@link #pops(int, String, int)}
     * @param desc     the descriptor of a field, method or call site instruction's operand; else unused
     * @param ldcSize  the size of an {@code LDC}'s constant (2 for a long, a double or such a dynamic constant)
     * @return the slots
     */
    private static int pushes(int op, @Nullable String desc, int ldcSize) {
        return switch (op) {
            case Opcodes.LDC -> ldcSize;
            case Opcodes.GETSTATIC, Opcodes.GETFIELD -> Type.getType(desc).getSize();
            case Opcodes.INVOKEVIRTUAL, Opcodes.INVOKESPECIAL, Opcodes.INVOKEINTERFACE, Opcodes.INVOKESTATIC,
                    Opcodes.INVOKEDYNAMIC -> Type.getArgumentsAndReturnSizes(desc) & 3;
            default -> SIMPLE_PUSHES[op];
        };
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
