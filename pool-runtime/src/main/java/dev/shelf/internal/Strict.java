package dev.shelf.internal;

import dev.shelf.PoolMisuseException;
import org.jspecify.annotations.Nullable;

/**
 * Strict mode's checks. In strict mode the agent rewrites every method of a pooled class and every field access to
 * one to call {@link #check(Object)} first; in normal mode none of those calls exist, so the checks cost nothing
 * there — not even a branch.
 *
 * <p>Called by generated code: names and descriptors are a contract listed in the agent's {@code RuntimeAbi}.
 */
public final class Strict {

    private static volatile boolean on;

    private Strict() {
    }

    /**
     * Turns strict mode on; called once by the agent at start.
     *
     * @param strict whether {@code shelf.mode=strict}
     */
    public static void enable(boolean strict) {
        on = strict;
    }

    /** Returns whether strict mode is on. */
    public static boolean isOn() {
        return on;
    }

    /**
     * Fails if {@code o} is a pooled object that has been released. Called by rewritten code before every use.
     *
     * @param o the object about to be used (may be {@code null}: the use itself will then fail as usual)
     */
    public static void check(Object o) {
        if (o instanceof Recyclable r && r.$shelf$isReleased()) {
            throw new PoolMisuseException("use of a " + describe(o) + " after it was released: it is back in the "
                    + "pool and may already belong to another holder; stop using an object once you release it "
                    + "(the cause shows where it was released)", r.$shelf$releasedAt());
        }
    }

    /**
     * Where an object is being released, for strict mode's reports: a throwable whose stack starts at
     * {@code Shelf.release} (the generated release method's own frames left out), so that the frame after it is
     * the caller that released. Called by strict-mode generated code only.
     *
     * @return the stack of the release
     */
    public static Throwable releasedHere() {
        Throwable here = new Throwable("released here");
        StackTraceElement[] stack = here.getStackTrace();
        int from = 0;
        while (from < stack.length && (stack[from].getClassName().equals(Strict.class.getName())
                || stack[from].getMethodName().startsWith("$shelf$"))) {
            from++;
        }
        here.setStackTrace(java.util.Arrays.copyOfRange(stack, from, stack.length));
        return here;
    }

    /**
     * Returns the exception to throw.
     *
     * @param r an object released a second time
     */
    public static PoolMisuseException doubleRelease(Recyclable r) {
        return new PoolMisuseException("double release of a " + describe(r) + ": it is already in the pool; release "
                + "each object once (the cause shows the first release)", r.$shelf$releasedAt());
    }

    /**
     * Returns the exception to throw.
     *
     * @param o something released that no pool can take
     */
    public static PoolMisuseException foreign(@Nullable Object o) {
        return new PoolMisuseException(o == null ? "release of null: nothing to give back"
                : "release of a " + describe(o) + ", which is not a pooled class (not @Pooled, a subclass of a "
                + "pooled class, or not transformed by the agent)", null);
    }

    private static String describe(Object o) {
        return o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }
}
