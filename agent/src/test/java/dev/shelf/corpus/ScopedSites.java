package dev.shelf.corpus;

import java.util.function.Supplier;

/** Sites of a METHOD-scoped class: some may be scoped, some let the object escape. */
public final class ScopedSites {

    /** Escapes through a static: must never be released behind its back. */
    public static Scoped kept;

    private ScopedSites() {
    }

    private static void use(Scoped s, String what) {
        s.note(what);
    }

    /** @return identity of the object used and how many notes it had: a fresh one must have exactly one */
    public static long[] used() {
        Scoped s = new Scoped();
        use(s, "x");
        return new long[]{System.identityHashCode(s), s.notes()};
    }

    /** Throws after using the object; the agent must still release it. */
    public static int throwsMidway(boolean fail) {
        Scoped s = new Scoped();
        use(s, "y");
        if (fail) {
            throw new IllegalStateException("midway " + System.identityHashCode(s));
        }
        return s.notes();
    }

    public static Scoped returned() {
        return new Scoped();
    }

    public static void storedInStatic() {
        kept = new Scoped();
    }

    public static Holder passedToConstructor() {
        Scoped s = new Scoped();
        return new Holder(s, null);
    }

    public static Object[] storedInArray() {
        Object[] a = new Object[1];
        a[0] = new Scoped();
        return a;
    }

    public static Supplier<Integer> capturedByLambda() {
        Scoped s = new Scoped();
        return () -> s.notes();
    }

    public static int inLoop(int n) {
        int total = 0;
        for (int i = 0; i < n; i++) {
            Scoped s = new Scoped();
            use(s, "z");
            total += s.notes();
        }
        return total;
    }
}
