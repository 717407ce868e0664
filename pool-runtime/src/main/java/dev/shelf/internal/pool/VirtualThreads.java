package dev.shelf.internal.pool;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;

/**
 * Tells virtual threads from platform threads on every JDK the runtime supports.
 *
 * <p>The runtime is compiled for Java 17, where {@code Thread.isVirtual()} does not exist, and must still route
 * virtual threads away from thread-local stacks on JDK 21 and later. A {@code static final} {@link MethodHandle}
 * is a constant to the JIT: on JDK 21+ the check inlines to the JDK's own {@code instanceof} test, and on JDK 17
 * {@link #EXIST} is {@code false}, so the whole branch folds away. The pool asks only on its slow path: a virtual
 * thread is never filed in a {@link ThreadTable}, so its lookup misses before the question comes up.
 */
final class VirtualThreads {

    private static final @Nullable MethodHandle IS_VIRTUAL = lookup();

    /** Whether this JVM has virtual threads at all. */
    static final boolean EXIST = IS_VIRTUAL != null;

    private VirtualThreads() {
    }

    /**
     * Returns whether {@code t} is a virtual thread.
     *
     * @param t a thread, usually the current one
     */
    static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) { // EXIST is false
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.isVirtual failed", e);
        }
    }

    private static @Nullable MethodHandle lookup() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }
}
