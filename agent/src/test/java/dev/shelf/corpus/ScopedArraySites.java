package dev.shelf.corpus;

import dev.shelf.Pooled;
import dev.shelf.Scope;

import java.util.function.IntSupplier;

/** {@code new @Pooled(scope = METHOD) byte[n]}: released at method exit, unless the array escapes the method. */
public final class ScopedArraySites {

    /** Escapes through a static: must never be released behind its back. */
    public static byte[] kept;

    private byte[] field;

    private ScopedArraySites() {
    }

    private static int sum(byte[] a) {
        int s = 0;
        for (byte b : a) {
            s += b;
        }
        return s;
    }

    /** Scoped: filled, summed, released at the normal exit. */
    public static int used(int n) {
        byte[] buf = new @Pooled(scope = Scope.METHOD) byte[n];
        for (int i = 0; i < n; i++) {
            buf[i] = 1;
        }
        return sum(buf);
    }

    /** Scoped, the other spelling, reference elements: released at the exceptional exit too. */
    public static int throwsMidway(int n, boolean fail) {
        String[] names = new String @Pooled(scope = Scope.METHOD) [n];
        names[0] = "x";
        if (fail) {
            throw new IllegalStateException("midway " + names.length);
        }
        return names.length;
    }

    public static byte[] returned(int n) {
        return new @Pooled(scope = Scope.METHOD) byte[n];
    }

    public static void storedInStatic(int n) {
        kept = new @Pooled(scope = Scope.METHOD) byte[n];
    }

    public static int storedInField(int n) {
        ScopedArraySites s = new ScopedArraySites();
        s.field = new @Pooled(scope = Scope.METHOD) byte[n];
        return s.field.length;
    }

    public static Object passedToConstructor(int n) {
        byte[] b = new @Pooled(scope = Scope.METHOD) byte[n];
        return new StringBuilder(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    public static IntSupplier capturedByLambda(int n) {
        int[] a = new @Pooled(scope = Scope.METHOD) int[n];
        return () -> a.length;
    }

    /** Returned through a cast: still the array made at the site. */
    public static long[] castThenReturned(int n) {
        Object o = new @Pooled(scope = Scope.METHOD) long[n];
        return (long[]) o;
    }

    public static int inLoop(int n) {
        int total = 0;
        for (int i = 0; i < n; i++) {
            byte[] b = new @Pooled(scope = Scope.METHOD) byte[4];
            total += b.length;
        }
        return total;
    }
}
