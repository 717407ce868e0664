package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.ClassHierarchy;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.plan.MethodsWithSites;
import dev.shelf.agent.plan.SiteNumbers;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import java.util.Objects;

/**
 * One class on its way through the {@link EmitStrategy emit strategies}: its bytes and decisions, and the work the
 * strategies share, done once whichever of them asks first — the tree of the methods with sites and their rewrite
 * ({@link SiteRewriter}), and in strict mode the field-access checks.
 */
final class ClassEmit {

    final byte[] bytes;
    final ClassReader reader;
    final PoolDecision self;
    final Decisions decisions;
    final ClassHierarchy hierarchy;
    /** Whether allocation sites are rewritten (not when only a pooled class's members are wanted). */
    final boolean sites;
    final boolean strict;
    final SiteNumbers numbers;
    /**
     * The methods with a site, {@code name+desc} to code offset, when only they need parsing: a class with sites and
     * nothing else to change (strict mode checks every method's field accesses; a pooled class is written in full);
     * else {@code null}.
     */
    final @Nullable Map<String, Integer> siteMethods;

    /** The class's tree after {@link #rewriteTree}: only the methods with sites when {@link #siteMethods} is set. */
    private @Nullable ClassNode cls;
    final List<ClassRewriter.MethodSites> rewritten = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();
    /** What rewritten sites asked for that the rewrite ignores ({@link SiteRewriter.MethodResult#notes()}). */
    final List<String> notes = new ArrayList<>();
    /** The first pooled array site rewritten, said as the reason it cannot be patched in place; or {@code null}. */
    @Nullable String arraySite;
    final Map<String, MethodNode> changed = new HashMap<>();
    /** Whether every changed method's original stack map frames still describe it. */
    boolean framesValid;
    /** The sites to patch in place, when {@link #rewriteTree} was asked to locate them and all could be. */
    @Nullable List<SitePatcher.Site> patches;
    /** Why the sites cannot be patched in place, when some site could not be located. */
    @Nullable String notPatchable;
    /** Whether a writer's frame computation read an application type's class file. */
    boolean readApplicationTypes;
    private boolean strictChecked;

    ClassEmit(byte[] bytes, PoolDecision self, Decisions decisions, ClassHierarchy hierarchy, boolean sites,
              boolean strict, SiteNumbers numbers) {
        this.bytes = bytes;
        this.reader = new ClassReader(bytes);
        this.self = self;
        this.decisions = decisions;
        this.hierarchy = hierarchy;
        this.sites = sites;
        this.strict = strict;
        this.numbers = numbers;
        this.siteMethods = sites && !strict && !(self instanceof PoolDecision.Accepted)
                ? MethodsWithSites.find(reader, decisions) : null;
    }

    /**
     * Why the sites cannot be patched in the original bytes whatever they look like, or {@code null}. For a class
     * that may say {@code new @Pooled}, every method is parsed and rewritten on the tree first (the writer that
     * follows needs that tree anyway), so that the reason can name a pooled array site: the call that replaces its
     * {@code NEWARRAY} is longer, which bytes patched in place cannot be.
     */
    @Nullable String whyNotInPlace() throws AnalyzerException {
        if (self instanceof PoolDecision.Accepted) {
            return "pooled class: written in full";
        }
        if (strict) {
            return "strict mode: every method's field accesses are checked";
        }
        if (!sites) {
            return "no allocation site is rewritten";
        }
        if (siteMethods == null) {
            rewriteTree(false);
            return arraySite != null ? arraySite : "the class may say new @Pooled T(): every method is parsed";
        }
        if (siteMethods.isEmpty()) {
            return "no method allocates a pooled class";
        }
        return null;
    }

    /**
     * Reads the tree and rewrites the sites of every method, once.
     *
     * @param locate whether to locate each rewritten site for {@link SitePatcher} (the first caller decides)
     */
    void rewriteTree(boolean locate) throws AnalyzerException {
        if (cls != null) {
            return;
        }
        cls = siteMethods == null ? new ClassNode(Opcodes.ASM9) : new SiteMethodsOnly(siteMethods.keySet());
        // Such a class may keep its stack map frames, so it is read with them.
        reader.accept(cls, siteMethods == null ? ClassReader.SKIP_FRAMES : 0);
        framesValid = siteMethods != null;
        patches = siteMethods != null && locate ? new ArrayList<>() : null;
        if (!sites) {
            return;
        }
        for (MethodNode m : cls.methods) {
            AbstractInsnNode[] before = patches != null ? m.instructions.toArray() : null;
            SiteRewriter.MethodResult result = SiteRewriter.rewriteMethod(cls.name, m, decisions, skipped, numbers);
            List<SiteRewriter.Rewritten> done = result.sites();
            framesValid &= result.framesValid();
            notes.addAll(result.notes());
            if (done.isEmpty()) {
                continue;
            }
            if (arraySite == null) {
                arraySite = arraySite(m, done);
                if (arraySite != null) {
                    patches = null;
                    notPatchable = arraySite;
                }
            }
            rewritten.add(new ClassRewriter.MethodSites(m.name + m.desc, done));
            changed.put(m.name + m.desc, m);
            if (patches != null) {
                String why = !result.framesValid() ? framesRecomputed(m, done)
                        : SitePatcher.locate(Objects.requireNonNull(before), // read whenever patches is set
                                Objects.requireNonNull(Objects.requireNonNull(siteMethods).get(m.name + m.desc)),
                                result, patches) ? null
                        : notLocated(m, done);
                if (why != null) {
                    patches = null;
                    notPatchable = why;
                }
            }
        }
    }

    /** Why a method's frames must be recomputed: a method-scoped site changes its code, else a site needed data flow. */
    private static String framesRecomputed(MethodNode m, List<SiteRewriter.Rewritten> done) {
        for (SiteRewriter.Rewritten s : done) {
            if (s.scoped()) {
                return "site in " + m.name + m.desc + " line " + s.line() + " is method-scoped: its release at "
                        + "method exit changes the method's code";
            }
        }
        return "a site in " + m.name + m.desc + " is not straight-line: paired by data-flow analysis, so the "
                + "method's frames are recomputed";
    }

    /** Names a method's first pooled array site, as the reason the method must be re-encoded; or {@code null}. */
    private static @Nullable String arraySite(MethodNode m, List<SiteRewriter.Rewritten> done) {
        for (SiteRewriter.Rewritten s : done) {
            if (s.array()) {
                return "site in " + m.name + m.desc + " line " + s.line() + " is a pooled array (new @Pooled "
                        + s.type() + "): the call that replaces its allocation is longer, so the method is re-encoded";
            }
        }
        return null;
    }

    /** The reason {@link SitePatcher#locate} gave up on a method, said for its first site that causes it. */
    private static String notLocated(MethodNode m, List<SiteRewriter.Rewritten> done) {
        for (SiteRewriter.Rewritten s : done) {
            String at = "site in " + m.name + m.desc + " line " + s.line();
            if (s.scoped()) {
                return at + " is method-scoped: its release at method exit changes the method's code";
            }
            if (s.number() > Short.MAX_VALUE) {
                return at + " has number " + s.number() + ", too big for SIPUSH";
            }
        }
        return "a site in " + m.name + m.desc + " carries a type annotation, or was not found among the original "
                + "instructions";
    }

    /** Strict mode: guards every field access on a pooled object ({@link StrictChecks}), once. */
    void addStrictChecks() {
        if (strictChecked) {
            return;
        }
        strictChecked = true;
        if (strict && sites) {
            for (MethodNode m : cls().methods) {
                if (StrictChecks.addFieldAccessChecks(m, decisions) > 0) {
                    changed.put(m.name + m.desc, m);
                }
            }
        }
    }

    /** Returns the tree that {@link #rewriteTree} read; every strategy that works on the tree calls that first. */
    ClassNode cls() {
        return Objects.requireNonNull(cls, "rewriteTree first");
    }

    /** What a writer computes for changed code: frames from Java 6 on, else only the maximums. */
    int writerFlags() {
        return (cls().version & 0xFFFF) >= Opcodes.V1_6 ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS;
    }

    /**
     * A class tree with only the methods that have sites: the others are never parsed, and reach the writer as the
     * original bytes ({@link ReplaceChangedMethods}).
     */
    private static final class SiteMethodsOnly extends ClassNode {

        private final Set<String> wanted;

        SiteMethodsOnly(Set<String> wanted) {
            super(Opcodes.ASM9);
            this.wanted = wanted;
        }

        @Override
        public @Nullable MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            return wanted.contains(name + descriptor)
                    ? super.visitMethod(access, name, descriptor, signature, exceptions) : null;
        }
    }
}
