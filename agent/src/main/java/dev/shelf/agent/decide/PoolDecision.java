package dev.shelf.agent.decide;

import java.util.List;

/**
 * Whether a class is pooled, decided once per class loader and class from the class's bytes alone.
 *
 * <p>The decision must come out the same wherever it is asked: when a site in another class refers to {@code T},
 * and when {@code T} itself is loaded. Otherwise a site could call a factory that {@code T} never got. It depends only
 * on {@code T}'s class file, its superclasses' class files and the configuration, and {@link Accepted} is given only
 * after the pooled members of {@code T} were actually generated once, so "accepted" means "will work".
 */
public sealed interface PoolDecision {

    /** Not annotated {@code @Pooled}, not found, or a platform class: nothing to do, nothing to say. */
    record NotPooled() implements PoolDecision {
    }

    /**
     * Annotated but not poolable.
     *
     * @param reason     why, in words for the warning line
     * @param deliberate the operator chose this (the package is out of scope): say it in explain mode, do not warn
     */
    record Refused(String reason, boolean deliberate) implements PoolDecision {
    }

    /**
     * Poolable.
     *
     * @param internalName     the class, with slashes
     * @param superName        its superclass, with slashes
     * @param superPooled      whether the superclass is pooled (else it is Object or holds no state at all)
     * @param instantiable     false for an abstract class, which gets re-initialisers but no pool
     * @param constructorDescs every constructor's descriptor; each has a re-initialiser and, if instantiable, a factory
     * @param maxPerThread     {@code @Pooled(maxPerThread)}, 0 for the default
     * @param maxShared        {@code @Pooled(maxShared)}, -1 for the default; passed to the pool's registration as a
     *                         constant so that the runtime need not read annotations reflectively (which creates an
     *                         annotation proxy class: ~10 ms on the application's thread at start-up)
     * @param methodScoped     {@code @Pooled(scope = METHOD)}: the agent releases objects when the allocating method
     *                         exits
     */
    record Accepted(String internalName, String superName, boolean superPooled, boolean instantiable,
                    List<String> constructorDescs, int maxPerThread, int maxShared,
                    boolean methodScoped) implements PoolDecision {

        /** Copies the list. */
        public Accepted {
            constructorDescs = List.copyOf(constructorDescs);
        }
    }

    /** The shared "not pooled" value. */
    // NotPooled is made only here, so nothing initialises it before this interface: no deadlock.
    @SuppressWarnings("ClassInitializationDeadlock")
    PoolDecision NOT_POOLED = new NotPooled();

    /** Returns whether {@code new} of this class is rewritten into a pool acquire. */
    default boolean poolsAllocations() {
        return this instanceof Accepted a && a.instantiable();
    }
}
