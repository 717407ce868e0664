package dev.shelf.agent.emit;

import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * One way to write a rewritten class. {@link ClassRewriter} tries the strategies in order, cheapest first; each either
 * writes the class or declines with a reason. Whichever writes it, the sites, their numbers and the warnings are the
 * same: the strategies differ only in how much of the class file they parse and re-encode.
 *
 * <ol>
 *   <li>{@link EmitStrategies#SITES_FROM_BYTES}: every site straight-line, proved and patched in the original bytes, no ASM tree
 *       ({@link InPlaceSites}, {@link SitePatcher});</li>
 *   <li>{@link EmitStrategies#PATCH_IN_PLACE}: the tree rewrite of the methods with sites decides, and the sites are patched in the
 *       original bytes ({@link SitePatcher});</li>
 *   <li>{@link EmitStrategies#REPLACE_CHANGED_METHODS}: a class writer built on the reader copies every unchanged method's bytes
 *       and re-encodes the changed ones, keeping their frames when it can;</li>
 *   <li>{@link EmitStrategies#WRITE_IN_FULL}: a pooled class, with its re-initialisers, pool and factories.</li>
 * </ol>
 *
 * <p>Constants and plain subclasses, no lambdas: the strategies run during the application's start-up, in the
 * interpreter, where linking a lambda costs generated classes. The instances live in {@link EmitStrategies}, not
 * here: a superclass whose initialiser creates its subclasses can deadlock two threads that initialise both.
 */
public abstract class EmitStrategy {

    private final String name;

    EmitStrategy(String name) {
        this.name = name;
    }

    /** Returns the strategy's name, as explain mode prints it. */
    public final String name() {
        return name;
    }

    /**
     * Writes the class, or declines.
     *
     * @param work the class and what the strategies tried before this one already computed
     * @return the class written, or a decline with its reason
     * @throws AnalyzerException when a method's data flow cannot be analysed
     */
    abstract Emission emit(ClassEmit work) throws AnalyzerException;

    static Emission declined(String reason) {
        return new Emission.Declined(reason);
    }

    static Emission written(ClassRewriter.Result result) {
        return new Emission.Written(result);
    }

    @Override
    public String toString() {
        return name;
    }
}
