package dev.shelf.agent.plan;

import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.emit.SiteRewriter;

import org.jspecify.annotations.Nullable;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs every {@code NEW} in a method with the {@code <init>} call that initialises exactly that object, and finds a
 * constructor's own {@code super(...)}/{@code this(...)} call.
 *
 * <p>Counting {@code NEW}s and {@code <init>}s (as allocation recorders do) goes wrong as soon as a {@code new}
 * appears inside another's arguments or in a ternary. Instead this runs ASM's data-flow {@link Analyzer} with a
 * {@link SourceInterpreter} that lets copies ({@code DUP}, loads, stores) keep the identity of the value they copy, so
 * the receiver of each {@code <init>} is known by the very instruction that created it. The receiver of a
 * constructor's own super call is the incoming {@code this}, marked here by a sentinel instruction.
 *
 * <p>A site is {@linkplain Site#rewritable() rewritable} only in the shape javac writes — {@code NEW T; DUP; args;
 * INVOKESPECIAL T.<init>} with the two uninitialised references untouched by the argument code and no jump leaving
 * the argument code — because only then can {@code NEW} and {@code DUP} simply be deleted. Other shapes stay as they
 * are (allocated normally) and say why.
 *
 * <p>The analysis is the exact answer but a costly one, so {@link #pair} first tries the one linear proof of
 * {@link StraightLinePairing}, which pairs without data flow wherever every {@code new} has javac's straight-line
 * shape (the same proof, reading the class file's bytes, serves {@link InPlaceSites}); the analysis runs where that
 * proof gives up, and where escape questions ({@link #escapeOf}) need its frames.
 */
public final class AllocationPairing {

    /** Stands for the incoming {@code this} of an instance method; never part of any instruction list. */
    private static final AbstractInsnNode THIS = new InsnNode(Opcodes.NOP);

    /**
     * One {@code new T(...)} in a method.
     *
     * @param newInsn   the {@code NEW T}
     * @param init      the {@code INVOKESPECIAL T.<init>} that initialises it
     * @param rewritable whether the site has the shape {@link SiteRewriter} can rewrite
     * @param why       when not rewritable, why not
     */
    public record Site(TypeInsnNode newInsn, MethodInsnNode init, boolean rewritable, @Nullable String why) {
    }

    private final List<Site> sites;
    private final @Nullable MethodInsnNode selfInit;
    private final @Nullable String selfInitProblem;
    private final MethodNode method;
    /** The method's instructions when it was analysed, index for index with {@link #frames}. */
    private final AbstractInsnNode @Nullable [] analysed;
    /** The data-flow frames, or {@code null} when the pairing came from {@link StraightLinePairing}. */
    private final Frame<SourceValue> @Nullable [] frames;

    private AllocationPairing(List<Site> sites, @Nullable MethodInsnNode selfInit, @Nullable String selfInitProblem,
                              MethodNode method, AbstractInsnNode @Nullable [] analysed,
                              Frame<SourceValue> @Nullable [] frames) {
        this.sites = sites;
        this.selfInit = selfInit;
        this.selfInitProblem = selfInitProblem;
        this.method = method;
        this.analysed = analysed;
        this.frames = frames;
    }

    /**
     * Pairs a method's {@code new}s the cheap way when it can prove the answer ({@link StraightLinePairing}: every
     * {@code new} is javac's straight-line shape; the same proof finds in-place sites in the bytes,
     * {@link InPlaceSites}), with the data-flow analysis otherwise.
     *
     * @param owner         internal name of the class declaring {@code method}
     * @param method        the method, with instructions
     * @param needsDataFlow whether the caller will ask {@link #escapeOf}, which only the data-flow analysis answers
     * @return the pairing
     * @throws AnalyzerException when the data-flow analysis runs and the method's bytecode does not verify as data
     *                           flow
     */
    public static AllocationPairing pair(String owner, MethodNode method, boolean needsDataFlow)
            throws AnalyzerException {
        if (!needsDataFlow) {
            AllocationPairing cheap = StraightLinePairing.pair(method);
            if (cheap != null) {
                return cheap;
            }
        }
        return analyze(owner, method);
    }

    /** A pairing found without data-flow analysis: every site is rewritable, and there are no frames. */
    static AllocationPairing withoutDataFlow(List<Site> sites, @Nullable MethodInsnNode selfInit, MethodNode method) {
        return new AllocationPairing(sites, selfInit, null, method, null, null);
    }

    /** Returns whether this pairing came from the data-flow analysis (and so can answer {@link #escapeOf}). */
    public boolean hasDataFlow() {
        return frames != null;
    }

    /**
     * Analyses one method with ASM's data-flow {@link Analyzer}: exact for any shape, but costly on first use (its
     * classes run in the interpreter) and ~0.5 ms per method then; {@link #pair} uses it only where it must.
     *
     * @param owner  internal name of the class declaring {@code method}
     * @param method the method, with instructions (frames are not needed)
     * @return the pairing
     * @throws AnalyzerException when the method's bytecode does not verify as data flow
     */
    public static AllocationPairing analyze(String owner, MethodNode method) throws AnalyzerException {
        Frame<SourceValue>[] frames = IdentityKeepingInterpreter.frames(owner, method);
        AbstractInsnNode[] insns = method.instructions.toArray();

        Map<TypeInsnNode, List<MethodInsnNode>> initsByNew = new HashMap<>();
        List<MethodInsnNode> selfInits = new ArrayList<>();
        String selfProblem = null;
        for (int i = 0; i < insns.length; i++) {
            if (!(insns[i] instanceof MethodInsnNode call) || call.getOpcode() != Opcodes.INVOKESPECIAL
                    || !call.name.equals("<init>") || frames[i] == null) {
                continue;
            }
            Frame<SourceValue> f = frames[i];
            int argCount = Type.getArgumentTypes(call.desc).length;
            SourceValue receiver = f.getStack(f.getStackSize() - 1 - argCount);
            Set<AbstractInsnNode> from = receiver.insns;
            if (from.size() == 1 && from.contains(THIS)) {
                selfInits.add(call);
            } else if (from.size() == 1 && from.iterator().next() instanceof TypeInsnNode n
                    && n.getOpcode() == Opcodes.NEW) {
                List<MethodInsnNode> inits = initsByNew.get(n); // no lambda: this runs on the first rewrite
                if (inits == null) {
                    inits = new ArrayList<>();
                    initsByNew.put(n, inits);
                }
                inits.add(call);
            } else if (from.contains(THIS)) {
                selfProblem = "its super(...) call is reached with more than one receiver";
            }
        }
        if (method.name.equals("<init>") && selfProblem == null && selfInits.size() != 1) {
            selfProblem = "it has " + selfInits.size() + " super(...)/this(...) calls where exactly one is expected";
        }

        List<Site> sites = new ArrayList<>();
        for (int i = 0; i < insns.length; i++) {
            if (insns[i] instanceof TypeInsnNode n && n.getOpcode() == Opcodes.NEW) {
                List<MethodInsnNode> inits = initsByNew.get(n);
                if (inits == null) {
                    continue; // dead code, or an object that is never initialised: nothing to pair
                }
                sites.add(site(method, frames, n, inits));
            }
        }
        return new AllocationPairing(sites, selfInits.size() == 1 ? selfInits.get(0) : null, selfProblem, method,
                insns, frames);
    }

    private static Site site(MethodNode method, Frame<SourceValue>[] frames, TypeInsnNode n,
                             List<MethodInsnNode> inits) {
        if (inits.size() != 1) {
            return new Site(n, inits.get(0), false, "one NEW reaches " + inits.size() + " constructor calls");
        }
        MethodInsnNode init = inits.get(0);
        AbstractInsnNode dup = nextReal(n);
        if (dup == null || dup.getOpcode() != Opcodes.DUP) {
            return new Site(n, init, false, "NEW is not followed by DUP");
        }
        int from = method.instructions.indexOf(n);
        int to = method.instructions.indexOf(init);
        if (to < from || frames[from] == null) {
            return new Site(n, init, false, "the constructor call does not follow its NEW");
        }
        int base = frames[from].getStackSize();
        int dupIndex = method.instructions.indexOf(dup);
        Set<LabelNode> inside = new java.util.HashSet<>();
        for (int i = from; i <= to; i++) {
            if (method.instructions.get(i) instanceof LabelNode l) {
                inside.add(l);
            }
        }
        for (int i = dupIndex + 1; i <= to; i++) {
            AbstractInsnNode insn = method.instructions.get(i);
            Frame<SourceValue> f = frames[i];
            if (f != null && f.getStackSize() < base + 2) {
                return new Site(n, init, false, "the argument code reaches below the new object on the stack");
            }
            for (LabelNode target : jumpTargets(insn)) {
                if (!inside.contains(target)) {
                    return new Site(n, init, false, "the argument code jumps out of the allocation");
                }
            }
        }
        return new Site(n, init, true, null);
    }

    static List<LabelNode> jumpTargets(AbstractInsnNode insn) {
        if (insn instanceof JumpInsnNode j) {
            return List.of(j.label);
        }
        List<LabelNode> out = new ArrayList<>();
        if (insn instanceof TableSwitchInsnNode t) {
            out.add(t.dflt);
            out.addAll(t.labels);
        } else if (insn instanceof LookupSwitchInsnNode l) {
            out.add(l.dflt);
            out.addAll(l.labels);
        }
        return out;
    }

    private static AbstractInsnNode nextReal(AbstractInsnNode insn) {
        AbstractInsnNode next = insn.getNext();
        while (next != null && next.getOpcode() < 0) {
            next = next.getNext();
        }
        return next;
    }

    /**
     * How the object made at a site leaves the method that made it, if it does: the question behind
     * {@code @Pooled(scope = METHOD)}, where the agent releases the object when the method exits and so must be sure
     * that nothing outside the method still refers to it.
     *
     * <p>The object escapes when the method returns it, throws it, stores it in a field, a static or an array,
     * captures it in a lambda ({@code invokedynamic}), or passes it to a constructor (an anonymous or local class
     * would keep it). Passing it to ordinary methods is allowed: that is how the object gets used.
     *
     * <p>Only a pairing {@linkplain #hasDataFlow() with data flow} answers this. It looks at the instructions as they
     * were when analysed, so it stays right after other sites of the method were rewritten.
     *
     * @param site a site of this method
     * @return why the object escapes, or {@code null} when it does not
     * @throws IllegalStateException when this pairing has no data flow
     */
    public @Nullable String escapeOf(Site site) {
        return escapeOf(site.newInsn());
    }

    /**
     * {@link #escapeOf(Site)} for any instruction that creates a reference: a {@code NEW}, or a {@code NEWARRAY} or
     * {@code ANEWARRAY} of a {@code new @Pooled byte[n]} site. The escape rules are the same for an array as for an
     * object.
     *
     * @param made the creating instruction, as it was when this method was analysed
     * @return why the reference escapes, or {@code null} when it does not
     * @throws IllegalStateException when this pairing has no data flow
     */
    public @Nullable String escapeOf(AbstractInsnNode made) {
        if (frames == null || analysed == null) { // both set, or neither
            throw new IllegalStateException("escape analysis needs the data-flow pairing (AllocationPairing.analyze)");
        }
        for (int i = 0; i < frames.length; i++) {
            Frame<SourceValue> f = frames[i];
            AbstractInsnNode insn = analysed[i];
            if (f == null || insn.getOpcode() < 0) {
                continue;
            }
            int top = f.getStackSize() - 1;
            switch (insn.getOpcode()) {
                case Opcodes.ARETURN -> {
                    if (from(f, top, made)) {
                        return "it is returned";
                    }
                }
                case Opcodes.ATHROW -> {
                    if (from(f, top, made)) {
                        return "it is thrown";
                    }
                }
                case Opcodes.PUTFIELD -> {
                    if (from(f, top, made)) {
                        return "it is stored in a field";
                    }
                }
                case Opcodes.PUTSTATIC -> {
                    if (from(f, top, made)) {
                        return "it is stored in a static field";
                    }
                }
                case Opcodes.AASTORE -> {
                    if (from(f, top, made)) {
                        return "it is stored in an array";
                    }
                }
                case Opcodes.INVOKEDYNAMIC -> {
                    for (int a = 0; a < Type.getArgumentTypes(((org.objectweb.asm.tree.InvokeDynamicInsnNode) insn)
                            .desc).length; a++) {
                        if (from(f, top - a, made)) {
                            return "it is captured by a lambda";
                        }
                    }
                }
                case Opcodes.INVOKESPECIAL, Opcodes.INVOKESTATIC -> {
                    MethodInsnNode call = (MethodInsnNode) insn;
                    if (call.name.equals("<init>") || call.name.equals(ShelfNames.FACTORY)) {
                        for (int a = 0; a < Type.getArgumentTypes(call.desc).length; a++) {
                            if (from(f, top - a, made)) {
                                return "it is passed to a constructor, which may keep it";
                            }
                        }
                    }
                }
                default -> {
                }
            }
        }
        return null;
    }

    /**
     * Whether a site can run more than once per call: some jump at or after it goes back to or before it.
     *
     * @param site a site of this method
     * @return {@code true} when the site is inside a loop
     */
    public boolean inLoop(Site site) {
        return inLoop(site.newInsn());
    }

    /**
     * {@link #inLoop(Site)} for any creating instruction still in the method ({@link #escapeOf(AbstractInsnNode)}).
     *
     * @param made the instruction
     * @return {@code true} when it is inside a loop
     */
    public boolean inLoop(AbstractInsnNode made) {
        int at = method.instructions.indexOf(made);
        for (AbstractInsnNode insn = made; insn != null; insn = insn.getNext()) {
            for (LabelNode target : jumpTargets(insn)) {
                if (method.instructions.indexOf(target) <= at) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean from(Frame<SourceValue> f, int index, AbstractInsnNode made) {
        return index >= 0 && f.getStack(index).insns.contains(made);
    }

    /** Returns every paired {@code new} in the method, in instruction order. */
    public List<Site> sites() {
        return sites;
    }

    /**
     * The constructor's own {@code super(...)} or {@code this(...)} call.
     *
     * @return the call, or {@code null} when the method is not a constructor or the call is not unique
     */
    public @Nullable MethodInsnNode selfInit() {
        return selfInit;
    }

    /** Returns why {@link #selfInit()} is missing, or {@code null}. */
    public @Nullable String selfInitProblem() {
        return selfInitProblem;
    }

    /**
     * A {@link SourceInterpreter} whose copies are the copied value itself, so a value's sources stay the instruction
     * that produced it however often it is duplicated, stored or loaded.
     */
    private static final class IdentityKeepingInterpreter extends SourceInterpreter {

        IdentityKeepingInterpreter() {
            super(Opcodes.ASM9);
        }

        /** Here rather than in {@link #analyze}, so that the analysis classes load only when it runs. */
        static Frame<SourceValue>[] frames(String owner, MethodNode method) throws AnalyzerException {
            return new Analyzer<>(new IdentityKeepingInterpreter()).analyze(owner, method);
        }

        @Override
        public SourceValue newParameterValue(boolean isInstanceMethod, int local, Type type) {
            if (isInstanceMethod && local == 0) {
                return new SourceValue(1, THIS);
            }
            return super.newParameterValue(isInstanceMethod, local, type);
        }

        @Override
        public SourceValue copyOperation(AbstractInsnNode insn, SourceValue value) {
            return value;
        }

        /** A cast is a copy too: {@code (byte[]) o} is still the array made at the site, for escape analysis. */
        @Override
        public SourceValue unaryOperation(AbstractInsnNode insn, SourceValue value) {
            return insn.getOpcode() == Opcodes.CHECKCAST ? value : super.unaryOperation(insn, value);
        }
    }
}
