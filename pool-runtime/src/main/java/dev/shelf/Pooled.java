package dev.shelf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose instances Shelf may reuse.
 *
 * <p>Application code keeps writing {@code new T(...)}. When the JVM runs with {@code -javaagent:shelf-agent.jar},
 * the agent rewrites those allocation sites to take an object from a per-thread pool and re-initialise it with a
 * method generated from {@code T}'s own constructor, so that a reused object is in exactly the state a fresh one
 * would be in. Objects go back to the pool through {@link Shelf#release(Object)}.
 *
 * <p>Without the agent the annotation does nothing: {@code new} allocates and {@code Shelf.release} is a no-op.
 * That is deliberate: code written for Shelf must be correct without it, only slower.
 *
 * <p>On an allocation, {@code new @Pooled T(...)} pools that one site even when {@code T} itself is not annotated
 * ({@code T} must still be a class the agent can pool, and must not have been loaded before the site). Other
 * {@code new T()} sites of that class allocate as usual.
 *
 * <p>The agent reads this annotation from class files (by name, without loading the class), so its retention
 * must stay {@link RetentionPolicy#RUNTIME} or at least class-file visible.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.TYPE_USE})
public @interface Pooled {

    /**
     * How many idle objects of this class one thread may keep. {@code 0} (the default) means the agent's
     * {@code shelf.pool.maxPerThread} setting. A release into a full pool drops the object (it becomes ordinary
     * garbage) and is counted as dropped.
     *
     * @return the per-thread capacity, or 0 for the configured default
     */
    int maxPerThread() default 0;

    /**
     * Who releases this class's objects: the application ({@link Scope#MANUAL}, the default) or the agent, when the
     * allocating method exits ({@link Scope#METHOD}).
     *
     * @return the release scope
     */
    Scope scope() default Scope.MANUAL;

    /**
     * How many idle objects of this class the shared depot may keep: the overflow that lets objects released on one
     * thread be reused by another. {@code -1} (the default) means the agent's {@code shelf.pool.maxShared} setting;
     * {@code 0} turns the depot off for this class (and pooling on virtual threads with it, which uses the same
     * budget).
     *
     * @return the shared capacity, or -1 for the configured default
     */
    int maxShared() default -1;
}
