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
     * {@link #releasedHere()} as plain stack trace elements, for a record kept in a JVM-wide place (the ledger of
     * pooled arrays): a filled-in throwable also keeps the VM's backtrace, which refers to the classes on the stack,
     * and would keep an undeployed application's class loader alive.
     *
     * @return the stack of the release, holding no class
     */
    public static Throwable releasedHereDetached() {
        Throwable detached = new Detached();
        detached.setStackTrace(releasedHere().getStackTrace());
        return detached;
    }

    /** A throwable that takes no backtrace of its own: its stack is set from elements. */
    private static final class Detached extends Throwable {
        private static final long serialVersionUID = 1L;

        Detached() {
            super("released here");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
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

    /**
     * Returns the exception to throw.
     *
     * @param pool     the array's pool, {@code byte[65536]}
     * @param array    an array released a second time
     * @param released where it was released before, if recorded
     */
    public static PoolMisuseException doubleReleaseOfArray(String pool, Object array, @Nullable Throwable released) {
        return new PoolMisuseException("double release of a " + pool + " (@" + Integer.toHexString(
                System.identityHashCode(array)) + "): it is already in the pool; release each array once (the cause "
                + "shows the first release)", released);
    }

    /**
     * Returns the exception to throw.
     *
     * @param array an array released that no pooled site made
     */
    public static PoolMisuseException foreignArray(Object array) {
        return new PoolMisuseException("release of a " + arrayName(array) + " that no @Pooled array site made: "
                + "Shelf.release takes arrays made by new @Pooled T[n] (rewritten by the agent), once each; an array "
                + "made by a plain new, a copy, or a JDK method is not pooled", null);
    }

    /**
     * The source name and length of an array: {@code byte[65536]}, {@code java.lang.String[16]}, {@code int[4][]}.
     *
     * @param array an array
     * @return its name
     */
    public static String arrayName(Object array) {
        Class<?> c = array.getClass();
        StringBuilder dims = new StringBuilder();
        Class<?> component = c.getComponentType();
        while (component.isArray()) {
            dims.append("[]");
            component = component.getComponentType();
        }
        return component.getName() + "[" + java.lang.reflect.Array.getLength(array) + "]" + dims;
    }

    /*
     * Poison for released pooled arrays: a pattern that no zeroed array shows and that reads as wrong at a glance, so
     * that a use after release shows in the data. Not the @Scratch pattern (0xA5), so the two can be told apart.
     */

    /** The byte a released pooled {@code byte[]} is filled with in strict mode. */
    public static final byte RELEASED_BYTE = (byte) 0xDE;
    /** The int a released pooled {@code int[]} is filled with in strict mode. */
    public static final int RELEASED_INT = 0xDEADBEEF;
    /** The long a released pooled {@code long[]} is filled with in strict mode. */
    public static final long RELEASED_LONG = 0xDEADBEEFDEADBEEFL;

    /**
     * Fills a released primitive array with poison (floating-point arrays with NaN, booleans with {@code true}), so
     * that a holder that goes on reading it after release sees visibly wrong data. Reference arrays are left alone:
     * the pool nulls them on every release anyway.
     *
     * @param array a released array
     */
    public static void poison(Object array) {
        if (array instanceof byte[] b) {
            java.util.Arrays.fill(b, RELEASED_BYTE);
        } else if (array instanceof int[] i) {
            java.util.Arrays.fill(i, RELEASED_INT);
        } else if (array instanceof long[] l) {
            java.util.Arrays.fill(l, RELEASED_LONG);
        } else if (array instanceof char[] c) {
            java.util.Arrays.fill(c, (char) 0xDEDE);
        } else if (array instanceof short[] s) {
            java.util.Arrays.fill(s, (short) 0xDEAD);
        } else if (array instanceof double[] d) {
            java.util.Arrays.fill(d, Double.NaN);
        } else if (array instanceof float[] f) {
            java.util.Arrays.fill(f, Float.NaN);
        } else if (array instanceof boolean[] z) {
            java.util.Arrays.fill(z, true);
        }
    }

    private static String describe(Object o) {
        return o.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }
}
