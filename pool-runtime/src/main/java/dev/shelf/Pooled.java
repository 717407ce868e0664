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
 * <p>The agent reads this annotation from class files (by name, without loading the class), so its retention
 * must stay {@link RetentionPolicy#RUNTIME} or at least class-file visible.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Pooled {

    /**
     * How many idle objects of this class one thread may keep. {@code 0} (the default) means the agent's
     * {@code shelf.pool.maxPerThread} setting. A release into a full pool drops the object (it becomes ordinary
     * garbage) and is counted as dropped.
     *
     * @return the per-thread capacity, or 0 for the configured default
     */
    int maxPerThread() default 0;
}
