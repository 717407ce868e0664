package dev.shelf.agent.rewrite;

import net.bytebuddy.pool.TypePool;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one class file into its Shelf form: allocation sites of pooled classes rewritten, and — if the class is
 * itself pooled — re-initialisers, pool and factories added. Pure bytes in, bytes out, so it is tested without an
 * agent.
 */
public final class ClassRewriter {

    /**
     * What a rewrite produced.
     *
     * @param bytes   the new class file
     * @param sites   rewritten sites per method ({@code name+desc}), for explain mode
     * @param skipped pooled-class sites left as plain allocations, with the reason
     */
    public record Result(byte[] bytes, List<MethodSites> sites, List<String> skipped) {
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
     * @param types     resolves types for frame computation
     * @param sites     whether to rewrite allocation sites (false when only the pooled members are wanted)
     * @param strict    strict mode: guard every use of a pooled object ({@link StrictChecks})
     * @return the result
     * @throws AnalyzerException when a method's data flow cannot be analysed
     */
    public static Result rewrite(byte[] bytes, PoolDecision self, Decisions decisions,
                                 TypePool types, boolean sites, boolean strict) throws AnalyzerException {
        return rewrite(bytes, self, decisions, types, sites, strict, SiteNumbers.RUNTIME);
    }

    /**
     * {@link #rewrite(byte[], PoolDecision, Decisions, TypePool, boolean, boolean)} with the sites numbered by
     * {@code numbers} instead of the pool runtime.
     *
     * @param numbers numbers each rewritten allocation site
     */
    public static Result rewrite(byte[] bytes, PoolDecision self, Decisions decisions, TypePool types,
                                 boolean sites, boolean strict, SiteNumbers numbers) throws AnalyzerException {
        ClassNode cls = new ClassNode(Opcodes.ASM9);
        new ClassReader(bytes).accept(cls, ClassReader.SKIP_FRAMES);

        List<MethodSites> rewritten = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (sites) {
            for (MethodNode m : cls.methods) {
                List<SiteRewriter.Rewritten> done = SiteRewriter.rewrite(cls.name, m, decisions, skipped, numbers);
                if (!done.isEmpty()) {
                    rewritten.add(new MethodSites(m.name + m.desc, done));
                }
            }
        }
        if (strict && sites) {
            for (MethodNode m : cls.methods) {
                StrictChecks.addFieldAccessChecks(m, decisions);
            }
        }
        if (self instanceof PoolDecision.Accepted plan) {
            if (strict) {
                StrictChecks.addMethodEntryChecks(cls);
            }
            boolean superPooled = plan.superPooled();
            OwnedFields owned = ReinitGenerator.addReinitializers(cls, superPooled);
            ScrubGenerator.addScrubber(cls, owned, superPooled);
            if (plan.instantiable()) {
                PoolMembersGenerator.addPoolMembers(cls, plan.maxPerThread(), strict);
            }
        }
        int flags = (cls.version & 0xFFFF) >= Opcodes.V1_6 ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS;
        ClassWriter writer = new TypePoolClassWriter(flags, types);
        cls.accept(writer);
        return new Result(writer.toByteArray(), rewritten, skipped);
    }
}
