package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.ClassHierarchy;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.plan.OwnedFields;
import dev.shelf.agent.plan.SiteNumbers;

import org.objectweb.asm.tree.analysis.AnalyzerException;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Turns one class file into its Shelf form: allocation sites of pooled classes rewritten, and — if the class is
 * itself pooled — re-initialisers, pool and factories added. Pure bytes in, bytes out, so it is tested without an
 * agent.
 *
 * <p>Four ways out, tried cheapest first ({@link EmitStrategy}), because most changed classes only allocate a pooled
 * class and they are paid for during the application's start-up: sites found and patched in the bytes alone
 * ({@link InPlaceSites}); sites found on the tree and patched in the bytes ({@link SitePatcher}); changed methods
 * re-encoded by a writer that copies the others; a pooled class written in full. Each way either writes the class or
 * declines with a reason, which the result carries for explain mode. The sites, their numbers and the warnings are
 * the same whichever way is taken: the tree rewrite ({@link SiteRewriter}) decides them, and the bytes-only way
 * answers only where it finds exactly what the tree would (else the tree runs).
 */
public final class ClassRewriter {

    /**
     * What a rewrite produced.
     *
     * @param bytes   the new class file
     * @param sites   rewritten sites per method ({@code name+desc}), for explain mode
     * @param skipped pooled sites (of objects, and {@code new @Pooled byte[n]}) left as plain allocations, with the
     *                reason
     * @param numberAt when every site was patched in place: where each site's number is in {@code bytes}, in the
     *                 order of {@code sites} ({@link RewriteCache} renumbers kept classes there); else {@code null}
     * @param ownership for a pooled class, one line per field its constructors allocate into: kept on reuse (and on
     *                  what condition) or made anew, and why ({@link OwnedFields#explanations()}); for explain mode
     * @param emittedBy the {@link EmitStrategy} that wrote the class, or {@code null} when it was not written now
     *                  (taken from {@code shelf.cache.dir})
     * @param declined  per strategy tried before that one, {@code "Name: reason"}; for explain mode
     * @param readApplicationTypes whether frame computation read an application type's class file (besides this
     *                  class's own): then the result depends on that class too, and is not kept in
     *                  {@code shelf.cache.dir}, whose keys do not cover it
     * @param notes     rewritten sites whose annotation asked for something the rewrite ignores, with what (an
     *                  array site's {@code maxPerThread}); warned about once each
     */
    @SuppressWarnings("ArrayRecordComponent") // a value handed on, never compared or hashed as a whole
    public record Result(byte[] bytes, List<MethodSites> sites, List<String> skipped, int @Nullable [] numberAt,
                         List<String> ownership, @Nullable String emittedBy, List<String> declined,
                         boolean readApplicationTypes, List<String> notes) {

        /** A result with nothing to say about owned fields: the class is not pooled, or its members were kept. */
        public Result(byte[] bytes, List<MethodSites> sites, List<String> skipped, int @Nullable [] numberAt) {
            this(bytes, sites, skipped, numberAt, List.of());
        }

        /** A result not yet attributed to a strategy. */
        public Result(byte[] bytes, List<MethodSites> sites, List<String> skipped, int @Nullable [] numberAt,
                      List<String> ownership) {
            this(bytes, sites, skipped, numberAt, ownership, List.of());
        }

        /** A result not yet attributed to a strategy, with notes on its sites. */
        public Result(byte[] bytes, List<MethodSites> sites, List<String> skipped, int @Nullable [] numberAt,
                      List<String> ownership, List<String> notes) {
            this(bytes, sites, skipped, numberAt, ownership, null, List.of(), false, notes);
        }

        Result emittedBy(String strategy, List<String> declinedBefore, boolean typesRead) {
            return new Result(bytes, sites, skipped, numberAt, ownership, strategy, declinedBefore, typesRead, notes);
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
     * Rewrites a class, trying every {@link EmitStrategy} cheapest first.
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
        return rewrite(bytes, self, decisions, hierarchy, sites, strict, numbers, EmitStrategies.ALL);
    }

    /**
     * {@link #rewrite(byte[], PoolDecision, Decisions, ClassHierarchy, boolean, boolean, SiteNumbers)} with the
     * strategies chosen: tests compare the ways out on the same class.
     *
     * @param strategies tried in this order until one writes the class
     * @return the result, saying which strategy wrote it and why the ones before it declined
     * @throws IllegalArgumentException when every strategy declined
     */
    public static Result rewrite(byte[] bytes, PoolDecision self, Decisions decisions, ClassHierarchy hierarchy,
                                 boolean sites, boolean strict, SiteNumbers numbers, List<EmitStrategy> strategies)
            throws AnalyzerException {
        ClassEmit work = new ClassEmit(bytes, self, decisions, hierarchy, sites, strict, numbers);
        List<String> declined = null;
        for (int i = 0; i < strategies.size(); i++) { // no iterator: a list of four, on the start-up path
            EmitStrategy strategy = strategies.get(i);
            Emission e = strategy.emit(work);
            if (e instanceof Emission.Written w) {
                return w.result().emittedBy(strategy.name(), declined == null ? List.of() : declined,
                        work.readApplicationTypes);
            }
            if (declined == null) {
                declined = new ArrayList<>(strategies.size());
            }
            declined.add(strategy.name() + ": " + ((Emission.Declined) e).reason());
        }
        throw new IllegalArgumentException("no emit strategy wrote " + work.reader.getClassName() + ": " + declined);
    }
}
