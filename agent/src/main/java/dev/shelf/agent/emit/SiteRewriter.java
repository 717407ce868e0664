package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.plan.AllocationPairing;
import dev.shelf.agent.plan.SiteNumbers;
import dev.shelf.agent.plan.StraightLinePairing;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeAnnotationNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.TypeReference;
import org.objectweb.asm.tree.analysis.AnalyzerException;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Replaces {@code new T(args)} of pooled classes by {@code T.$shelf$new(site, args)} in one method's tree, and
 * {@code new @Pooled byte[n]} by a call into the runtime's array pools ({@link PooledArrays}).
 *
 * <p>javac compiles {@code new T(a, b)} to {@code NEW T; DUP; <a>; <b>; INVOKESPECIAL T.<init>(AB)V}. The rewrite
 * replaces the {@code NEW} by a push of the site's number, deletes the {@code DUP} and turns the
 * {@code INVOKESPECIAL} into {@code INVOKESTATIC T.$shelf$new(IAB)LT;}: the arguments are evaluated exactly as
 * before, in the same order, and the stack ends with a {@code T} where it used to end with the initialised {@code T}.
 * The site's number comes from {@link SiteNumbers} for the name {@code Class.method:line} (the line of the
 * {@code NEW}), so that the pool counts per site. Replacing the two references (rather than popping them later)
 * means no uninitialised value is left behind for the verifier to reject. A method whose sites were all paired
 * straight-line keeps its stack map frames ({@link MethodResult#framesValid()}); other frames are recomputed by the
 * class writer. The same change done on the class file's bytes, without a tree or a writer, is {@link SitePatcher}.
 */
public final class SiteRewriter {

    /**
     * One rewritten site, for explain mode and statistics.
     *
     * @param type   internal name of the pooled class
     * @param line   source line, or -1 when the class has no line numbers
     * @param scoped whether the agent releases the object when the method exits ({@code scope = METHOD})
     * @param site   the site's name, {@code Class.method:line}
     * @param number the site's number for {@code type}, passed to its factory
     */
    public record Rewritten(String type, int line, boolean scoped, String site, int number) {

        /**
         * Whether this is a {@code new @Pooled byte[n]} site: then {@link #type} is the array type's source name
         * ({@code byte[]}, {@code java.lang.String[]}), which no internal class name can be, since those never hold
         * {@code [}.
         *
         * @return whether the site makes an array
         */
        public boolean array() {
            return type.endsWith("[]");
        }
    }

    /**
     * What the rewrite did to one method.
     *
     * @param sites       the sites rewritten, in instruction order
     * @param framesValid whether the method's original stack map frames still describe it. They do when every
     *                    rewritten site was paired by {@link StraightLinePairing}: no jump target lies inside a
     *                    site's argument code, so no frame mentions its uninitialised object, and outside the site
     *                    the factory leaves on the stack exactly the type the constructor did. They do not after the
     *                    data-flow pairing (argument code with jumps) or a scoped release (new locals, a handler).
     * @param paired      each rewritten object site's {@code NEW} and {@code <init>} as they were before the rewrite,
     *                    index for index with {@code sites} (where {@link SitePatcher} finds them in the class file)
     *                    when the method has no array site; array sites come after the object sites in
     *                    {@code sites} and have no entry here
     * @param notes       what a rewritten site's annotation asked for that the rewrite ignores, one line per site
     */
    public record MethodResult(List<Rewritten> sites, List<AllocationPairing.Site> paired, boolean framesValid,
                               List<String> notes) {
    }

    private SiteRewriter() {
    }

    /**
     * Rewrites every rewritable site of a pooled, instantiable class in {@code method}.
     *
     * @param owner     internal name of the class declaring {@code method}
     * @param method    the method, changed in place
     * @param decisions the pooling decision for a class, by internal name
     * @param skipped   receives a description of each pooled-class site that had to stay as it was
     * @param numbers   numbers each rewritten site
     * @return the sites rewritten, in instruction order
     * @throws AnalyzerException when the method's data flow cannot be analysed
     */
    public static List<Rewritten> rewrite(String owner, MethodNode method, Decisions decisions,
                                          List<String> skipped, SiteNumbers numbers) throws AnalyzerException {
        return rewriteMethod(owner, method, decisions, skipped, numbers).sites();
    }

    /**
     * {@link #rewrite}, and whether the method's stack map frames are still right afterwards.
     *
     * @param owner     internal name of the class declaring {@code method}
     * @param method    the method, changed in place
     * @param decisions the pooling decision for a class, by internal name
     * @param skipped   receives a description of each pooled-class site that had to stay as it was
     * @param numbers   numbers each rewritten site
     * @return the sites rewritten and whether the frames stay valid
     * @throws AnalyzerException when the method's data flow cannot be analysed
     */
    public static MethodResult rewriteMethod(String owner, MethodNode method, Decisions decisions,
                                             List<String> skipped, SiteNumbers numbers) throws AnalyzerException {
        // Array sites are found before any object site changes the list, and rewritten after.
        List<PooledArrays.Site> arraySites = PooledArrays.sites(owner, method, skipped);
        int pooledNews = pooledNews(method, decisions, arraySites);
        if (pooledNews == NONE) {
            return new MethodResult(List.of(), List.of(), true, List.of());
        }
        AllocationPairing pairing = AllocationPairing.pair(owner, method, pooledNews == SCOPED);
        List<Rewritten> done = new ArrayList<>();
        List<AllocationPairing.Site> rewrittenPairs = new ArrayList<>();
        List<AbstractInsnNode> scopedFactories = new ArrayList<>();
        for (AllocationPairing.Site site : pairing.sites()) {
            boolean annotatedSite = pooledTypeUse(site.newInsn());
            PoolDecision decision = annotatedSite ? decisions.decideForSite(site.newInsn().desc)
                    : decisions.decide(site.newInsn().desc);
            String where = site.newInsn().desc.replace('/', '.') + " at line " + lineOf(site.newInsn()) + ": ";
            if (annotatedSite && decision instanceof PoolDecision.Refused r) {
                skipped.add(where + "new @Pooled, but the class cannot be pooled: " + r.reason());
                continue;
            }
            if (!decision.poolsAllocations()) {
                continue;
            }
            if (!decisions.promise(site.newInsn().desc)) {
                skipped.add(where + "the class was loaded before this site without its pool (it was outside "
                        + "Shelf's scope then); annotate it with @Pooled and keep it in shelf.include");
                continue;
            }
            if (!site.rewritable()) {
                skipped.add(where + site.why());
                continue;
            }
            boolean scoped = ((PoolDecision.Accepted) decision).methodScoped();
            if (scoped) {
                String why = method.name.startsWith("<") ? "it is in a constructor or static initialiser"
                        : pairing.escapeOf(site);
                if (why == null && pairing.inLoop(site)) {
                    why = "it is inside a loop, where one method exit would have to release many objects";
                }
                if (why != null) {
                    skipped.add(where + "@Pooled(scope = METHOD) but " + why);
                    continue;
                }
            }
            MethodInsnNode init = site.init();
            int line = lineOf(site.newInsn());
            String name = siteName(owner, method.name, line);
            int number = numbers.number(init.owner, name);
            if (number == SiteNumbers.LEAVE) {
                continue; // turned back into a plain new: its objects never came back
            }
            AbstractInsnNode dup = site.newInsn().getNext();
            while (dup.getOpcode() != Opcodes.DUP) {
                dup = dup.getNext();
            }
            method.instructions.remove(dup);
            method.instructions.set(site.newInsn(), number <= Short.MAX_VALUE
                    ? new IntInsnNode(Opcodes.SIPUSH, number) : new LdcInsnNode(number));
            MethodInsnNode factory = new MethodInsnNode(Opcodes.INVOKESTATIC, init.owner, ShelfNames.FACTORY,
                    ShelfNames.factoryDesc(init.owner, init.desc), false);
            method.instructions.set(init, factory);
            rewrittenPairs.add(site);
            if (scoped) {
                scopedFactories.add(factory);
            }
            done.add(new Rewritten(init.owner, line, scoped, name, number));
        }
        int objectSites = done.size();
        List<String> notes = List.of();
        for (PooledArrays.Site array : arraySites) {
            String note = PooledArrays.ignoredElements(array.made(), array.pooled(), method);
            if (PooledArrays.rewrite(owner, method, array, pairing, numbers, skipped, done, scopedFactories)
                    && note != null) {
                if (notes.isEmpty()) {
                    notes = new ArrayList<>();
                }
                notes.add(note);
            }
        }
        if (!scopedFactories.isEmpty()) {
            MethodScope.releaseOnExit(method, scopedFactories);
        }
        // An array site's call is longer than its NEWARRAY and needs more stack: the maximums must be recomputed.
        return new MethodResult(done, rewrittenPairs, done.isEmpty()
                || (!pairing.hasDataFlow() && done.size() == objectSites), notes);
    }

    private static final int NONE = 0;
    private static final int POOLED = 1;
    private static final int SCOPED = 2;

    /**
     * Cheap pre-check, so that pairing runs only where a pooled class is instantiated, and the data-flow analysis
     * only where a {@code @Pooled(scope = METHOD)} site needs its escape analysis.
     *
     * @return {@link #NONE}, {@link #POOLED}, or {@link #SCOPED} when some site may be method-scoped
     */
    private static int pooledNews(MethodNode method, Decisions decisions, List<PooledArrays.Site> arrays) {
        int found = arrays.isEmpty() ? NONE : POOLED;
        for (PooledArrays.Site a : arrays) {
            if (PooledArrays.methodScoped(a.pooled()) && !method.name.startsWith("<")) {
                return SCOPED;
            }
        }
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.getOpcode() != Opcodes.NEW) {
                continue;
            }
            TypeInsnNode n = (TypeInsnNode) insn;
            boolean annotated = pooledTypeUse(n);
            PoolDecision d = annotated ? decisions.decideForSite(n.desc) : decisions.decide(n.desc);
            if (annotated || d.poolsAllocations()) {
                found = POOLED;
                if (d instanceof PoolDecision.Accepted a && a.methodScoped() && !method.name.startsWith("<")) {
                    return SCOPED;
                }
            }
        }
        return found;
    }

    /**
     * Whether javac recorded {@code new @Pooled T()} on this {@code NEW} (a type annotation targeting it, not one
     * stepping into array elements: that is {@code new @Pooled long[new T().size()]}, recorded where the array's
     * expression starts, see {@link PooledArrays#sites}).
     */
    static boolean pooledTypeUse(TypeInsnNode newInsn) {
        TypeAnnotationNode a = pooledAnnotation(newInsn);
        return a != null && !PooledArrays.arrayPath(a);
    }

    /**
     * The {@code @Pooled} javac recorded on an allocating instruction ({@code NEW}, {@code NEWARRAY},
     * {@code ANEWARRAY}, {@code MULTIANEWARRAY}): a type annotation of sort {@link TypeReference#NEW}, whatever its
     * type path — {@code new @Pooled byte[n]} and {@code new byte @Pooled [n]} differ only in the path.
     *
     * @return the annotation, or {@code null}
     */
    static @Nullable TypeAnnotationNode pooledAnnotation(AbstractInsnNode insn) {
        for (List<TypeAnnotationNode> list : java.util.Arrays.asList(insn.visibleTypeAnnotations,
                insn.invisibleTypeAnnotations)) {
            if (list != null) {
                for (TypeAnnotationNode a : list) {
                    if (a.desc.equals(ShelfNames.POOLED_DESC)
                            && new TypeReference(a.typeRef).getSort() == TypeReference.NEW) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Returns {@code com.acme.Handler.handle:42}, or {@code com.acme.Handler.handle} without a line.
     *
     * @param owner  internal name of the class declaring the method
     * @param method the method's name
     * @param line   the line of the {@code new}, or -1
     */
    static String siteName(String owner, String method, int line) {
        String where = owner.replace('/', '.') + "." + method;
        return line >= 0 ? where + ":" + line : where;
    }

    static int lineOf(AbstractInsnNode insn) {
        for (AbstractInsnNode p = insn; p != null; p = p.getPrevious()) {
            if (p instanceof LineNumberNode ln) {
                return ln.line;
            }
        }
        return -1;
    }
}
