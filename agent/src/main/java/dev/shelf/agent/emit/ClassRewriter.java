package dev.shelf.agent.emit;

import dev.shelf.agent.cache.RewriteCache;
import dev.shelf.agent.classfile.ClassHierarchy;
import dev.shelf.agent.classfile.HierarchyClassWriter;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.plan.MethodsWithSites;
import dev.shelf.agent.plan.OwnedFields;
import dev.shelf.agent.plan.SiteNumbers;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
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

/**
 * Turns one class file into its Shelf form: allocation sites of pooled classes rewritten, and — if the class is
 * itself pooled — re-initialisers, pool and factories added. Pure bytes in, bytes out, so it is tested without an
 * agent.
 *
 * <p>Three ways out, cheapest first, because most changed classes only allocate a pooled class and they are paid
 * for during the application's start-up: when every rewritten site was paired straight-line, the sites are patched
 * in the original bytes ({@link SitePatcher}: no class writer, nothing re-encoded — and, where the bytes alone prove
 * it, no tree either: {@link InPlaceSites}); otherwise a writer built on the
 * reader copies the unchanged methods and re-encodes the changed ones, keeping their frames when it can; a pooled
 * class, or any class in strict mode, is written in full. The sites, their numbers and the warnings are the same
 * whichever way is taken: the tree rewrite ({@link SiteRewriter}) decides them, and the bytes-only way answers
 * only where it finds exactly what the tree would (else the tree runs).
 */
public final class ClassRewriter {

    /**
     * What a rewrite produced.
     *
     * @param bytes   the new class file
     * @param sites   rewritten sites per method ({@code name+desc}), for explain mode
     * @param skipped pooled-class sites left as plain allocations, with the reason
     * @param numberAt when every site was patched in place: where each site's number is in {@code bytes}, in the
     *                 order of {@code sites} ({@link RewriteCache} renumbers kept classes there); else {@code null}
     * @param ownership for a pooled class, one line per field its constructors allocate into: kept on reuse (and on
     *                  what condition) or made anew, and why ({@link OwnedFields#explanations()}); for explain mode
     */
    public record Result(byte[] bytes, List<MethodSites> sites, List<String> skipped, int[] numberAt,
                         List<String> ownership) {

        /** A result with nothing to say about owned fields: the class is not pooled, or its members were kept. */
        public Result(byte[] bytes, List<MethodSites> sites, List<String> skipped, int[] numberAt) {
            this(bytes, sites, skipped, numberAt, List.of());
        }
    }

    /**
     * Sites rewritten in one method.
     *
     * @param method name and descriptor
     * @param sites  the sites
     */
    public record MethodSites(String method, List<SiteRewriter.Rewritten> sites) {
    }

    private ClassRewriter() {
    }

    /**
     * Rewrites a class.
     *
     * @param bytes     the original class file
     * @param self      the decision for this class itself ({@link PoolDecision.Accepted} adds the pooled members)
     * @param decisions decisions for the classes the sites allocate
     * @param hierarchy answers frame computation's superclass questions
     * @param sites     whether to rewrite allocation sites (false when only the pooled members are wanted)
     * @param strict    strict mode: guard every use of a pooled object ({@link StrictChecks})
     * @return the result
     * @throws AnalyzerException when a method's data flow cannot be analysed
     */
    public static Result rewrite(byte[] bytes, PoolDecision self, Decisions decisions,
                                 ClassHierarchy hierarchy, boolean sites, boolean strict) throws AnalyzerException {
        return rewrite(bytes, self, decisions, hierarchy, sites, strict, SiteNumbers.RUNTIME);
    }

    /**
     * {@link #rewrite(byte[], PoolDecision, Decisions, ClassHierarchy, boolean, boolean)} with the sites numbered by
     * {@code numbers} instead of the pool runtime.
     *
     * @param numbers numbers each rewritten allocation site
     */
    public static Result rewrite(byte[] bytes, PoolDecision self, Decisions decisions, ClassHierarchy hierarchy,
                                 boolean sites, boolean strict, SiteNumbers numbers) throws AnalyzerException {
        return rewrite(bytes, self, decisions, hierarchy, sites, strict, numbers, true);
    }

    /**
     * {@link #rewrite(byte[], PoolDecision, Decisions, ClassHierarchy, boolean, boolean, SiteNumbers)}, optionally
     * never patching in place: tests compare the two ways out.
     *
     * @param inPlace whether sites may be patched in the original bytes ({@link SitePatcher})
     */
    static Result rewrite(byte[] bytes, PoolDecision self, Decisions decisions, ClassHierarchy hierarchy, boolean sites,
                          boolean strict, SiteNumbers numbers, boolean inPlace) throws AnalyzerException {
        return rewrite(bytes, self, decisions, hierarchy, sites, strict, numbers, inPlace, inPlace);
    }

    /**
     * {@link #rewrite(byte[], PoolDecision, Decisions, ClassHierarchy, boolean, boolean, SiteNumbers, boolean)},
     * optionally without finding the sites in the bytes: tests compare that with the tree's way.
     *
     * @param fromBytes whether straight-line sites may be found in the bytes, without a tree ({@link InPlaceSites})
     */
    static Result rewrite(byte[] bytes, PoolDecision self, Decisions decisions, ClassHierarchy hierarchy, boolean sites,
                          boolean strict, SiteNumbers numbers, boolean inPlace, boolean fromBytes)
            throws AnalyzerException {
        ClassReader reader = new ClassReader(bytes);
        // Only a class with sites and nothing else to change can leave methods unparsed (strict mode checks every
        // method's field accesses; a pooled class is written in full).
        Map<String, Integer> siteMethods = sites && !strict && !(self instanceof PoolDecision.Accepted)
                ? MethodsWithSites.find(reader, decisions) : null;
        if (siteMethods != null && !siteMethods.isEmpty() && inPlace && fromBytes) {
            // The cheapest way: every site straight-line, found and patched in the bytes, no tree at all.
            Result patched = InPlaceSites.rewrite(bytes, reader, siteMethods, decisions, numbers);
            if (patched != null) {
                return patched;
            }
        }
        ClassNode cls = siteMethods == null ? new ClassNode(Opcodes.ASM9) : new SiteMethodsOnly(siteMethods.keySet());
        // Such a class may keep its stack map frames (below), so it is read with them.
        reader.accept(cls, siteMethods == null ? ClassReader.SKIP_FRAMES : 0);
        boolean framesValid = siteMethods != null;
        // Such a class may even have its sites patched in place, if they all allow it (SitePatcher).
        List<SitePatcher.Site> patches = siteMethods != null && inPlace ? new ArrayList<>() : null;

        List<MethodSites> rewritten = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, MethodNode> changed = new HashMap<>();
        if (sites) {
            for (MethodNode m : cls.methods) {
                AbstractInsnNode[] before = patches != null ? m.instructions.toArray() : null;
                SiteRewriter.MethodResult result = SiteRewriter.rewriteMethod(cls.name, m, decisions, skipped,
                        numbers);
                List<SiteRewriter.Rewritten> done = result.sites();
                framesValid &= result.framesValid();
                if (!done.isEmpty()) {
                    rewritten.add(new MethodSites(m.name + m.desc, done));
                    changed.put(m.name + m.desc, m);
                    if (patches != null && !(result.framesValid()
                            && SitePatcher.locate(before, siteMethods.get(m.name + m.desc), result, patches))) {
                        patches = null;
                    }
                }
            }
        }
        if (patches != null && framesValid && !patches.isEmpty()) {
            // Every site is straight-line and fits in place: no class writer at all.
            int[] numberAt = new int[patches.size()];
            byte[] patched = SitePatcher.patch(bytes, reader, patches, numberAt);
            if (patched != null) {
                return new Result(patched, rewritten, skipped, numberAt);
            }
        }
        if (strict && sites) {
            for (MethodNode m : cls.methods) {
                if (StrictChecks.addFieldAccessChecks(m, decisions) > 0) {
                    changed.put(m.name + m.desc, m);
                }
            }
        }
        int flags = (cls.version & 0xFFFF) >= Opcodes.V1_6 ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS;
        if (self instanceof PoolDecision.Accepted plan) {
            if (strict) {
                StrictChecks.addMethodEntryChecks(cls);
            }
            boolean superPooled = plan.superPooled();
            OwnedFields owned = ReinitGenerator.addReinitializers(cls, superPooled);
            ScrubGenerator.addScrubber(cls, owned, superPooled);
            if (plan.instantiable()) {
                PoolMembersGenerator.addPoolMembers(cls, plan.maxPerThread(), plan.maxShared(), strict,
                        owned.fieldLines());
            }
            // A pooled class changes everywhere (fields, interfaces, constructors, new methods): written in full.
            ClassWriter writer = new HierarchyClassWriter(null, flags, hierarchy);
            cls.accept(writer);
            List<String> ownership = new ArrayList<>();
            for (Map.Entry<String, String> e : owned.explanations().entrySet()) {
                ownership.add(e.getKey() + ": " + e.getValue());
            }
            return new Result(writer.toByteArray(), rewritten, skipped, null, ownership);
        }
        // Only some methods changed: the writer, built on the reader, copies every other method's bytes (and its
        // stack map frames) verbatim, so that frames are computed — and types looked up — only where code changed;
        // and not even there when every changed method kept valid frames (SiteRewriter.MethodResult): then the
        // writer takes the methods' own frames and maximums as they are.
        ClassWriter writer = new HierarchyClassWriter(reader, framesValid ? 0 : flags, hierarchy);
        reader.accept(new ChangedMethodsReplaced(writer, changed), ClassReader.SKIP_FRAMES);
        return new Result(writer.toByteArray(), rewritten, skipped, null);
    }

    /**
     * A class tree with only the methods that have sites: the others are never parsed, and reach the writer as the
     * original bytes ({@link ChangedMethodsReplaced}).
     */
    private static final class SiteMethodsOnly extends ClassNode {

        private final Set<String> wanted;

        SiteMethodsOnly(Set<String> wanted) {
            super(Opcodes.ASM9);
            this.wanted = wanted;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            return wanted.contains(name + descriptor)
                    ? super.visitMethod(access, name, descriptor, signature, exceptions) : null;
        }
    }

    /**
     * Passes a class through to a {@link ClassWriter} built on the same {@link ClassReader}, replacing the methods
     * that were changed by their rewritten tree. Every other method reaches the writer untouched, which makes ASM
     * copy its bytes as they are (stack map frames included) instead of parsing it and computing its frames again.
     */
    private static final class ChangedMethodsReplaced extends ClassVisitor {

        private final Map<String, MethodNode> changed;

        ChangedMethodsReplaced(ClassWriter writer, Map<String, MethodNode> changed) {
            super(Opcodes.ASM9, writer);
            this.changed = changed;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodNode rewritten = changed.get(name + descriptor);
            if (rewritten == null) {
                return super.visitMethod(access, name, descriptor, signature, exceptions);
            }
            rewritten.accept(cv);
            return null;
        }
    }
}
