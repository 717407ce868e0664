package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.function.IntFunction;

/**
 * {@code new @Pooled byte[n]} in both spellings, for every primitive element type and for reference arrays, in a
 * class that uses Shelf for nothing else: each method returns its array, so a test compares it with {@code new}'s.
 */
public final class PooledArraySites {

    private PooledArraySites() {
    }

    // Annotation on the element type: javac records it with a type path of one array step.

    public static boolean[] booleans(int n) {
        return new @Pooled boolean[n];
    }

    public static byte[] bytes(int n) {
        return new @Pooled byte[n];
    }

    public static char[] chars(int n) {
        return new @Pooled char[n];
    }

    public static short[] shorts(int n) {
        return new @Pooled short[n];
    }

    public static int[] ints(int n) {
        return new @Pooled int[n];
    }

    public static float[] floats(int n) {
        return new @Pooled float[n];
    }

    public static long[] longs(int n) {
        return new @Pooled long[n];
    }

    public static double[] doubles(int n) {
        return new @Pooled double[n];
    }

    public static String[] strings(int n) {
        return new @Pooled String[n];
    }

    // Annotation on the array type: javac records it with an empty type path.

    public static boolean[] booleansOnArray(int n) {
        return new boolean @Pooled [n];
    }

    public static byte[] bytesOnArray(int n) {
        return new byte @Pooled [n];
    }

    public static char[] charsOnArray(int n) {
        return new char @Pooled [n];
    }

    public static short[] shortsOnArray(int n) {
        return new short @Pooled [n];
    }

    public static int[] intsOnArray(int n) {
        return new int @Pooled [n];
    }

    public static float[] floatsOnArray(int n) {
        return new float @Pooled [n];
    }

    public static long[] longsOnArray(int n) {
        return new long @Pooled [n];
    }

    public static double[] doublesOnArray(int n) {
        return new double @Pooled [n];
    }

    public static String[] stringsOnArray(int n) {
        return new String @Pooled [n];
    }

    /** An element type of no particular kind. */
    public static final class Cell {
    }

    /** A nested class as element type: its array is named {@code PooledArraySites$Cell[]}, as getTypeName says. */
    public static Cell[] nested(int n) {
        return new @Pooled Cell[n];
    }

    /** One dimension of references to arrays: {@code ANEWARRAY [B}, pooled as {@code byte[][]}. */
    public static byte[][] arrayOfArrays(int n) {
        return new byte @Pooled [n][];
    }

    /** Two dimensions given: {@code MULTIANEWARRAY}, left allocating with a warning. */
    public static byte[][] twoDimensions(int n, int m) {
        return new @Pooled byte[n][m];
    }

    /** An unannotated array next to a pooled one: only the annotated site changes. */
    public static int plainThenPooled(int n) {
        byte[] plain = new byte[n];
        byte[] pooled = new @Pooled byte[n + 1];
        return plain.length * 1000 + pooled.length;
    }

    /**
     * A {@code new} inside the length: javac records the annotation where the whole expression starts, which is
     * also where the inner {@code new char[n]} starts; only the outer array is pooled. (javac 17 and 25 crash on an
     * annotated array nested in another's length, so that case cannot be written.)
     */
    public static long[] nestedNewInLength(int n) {
        return new @Pooled long[new char[n].length + new StringBuilder("ab").length()];
    }

    /**
     * The length's code starts with a {@code NEW}, which is where javac records the array's annotation (with its
     * array step): the object is not a {@code new @Pooled T()} site.
     */
    public static long[] objectFirstInLength() {
        return new @Pooled long[new StringBuilder("abc").length()];
    }

    /** The length a conditional: the expression starts at the condition, the inner array sits in one branch. */
    public static long[] conditionalLength(int n, boolean inner) {
        return new @Pooled long[inner ? new char[n].length : 2];
    }

    /** Not at the start of its statement: the annotation is recorded where the length's code starts. */
    public static int midStatement(int n) {
        int a = n * 2;
        return sum(a, new byte @Pooled [n + 1]);
    }

    private static int sum(int a, byte[] b) {
        return a + b.length;
    }

    /** The site is in the lambda's body, a synthetic method of this class. */
    public static IntFunction<char[]> lambda() {
        return n -> new @Pooled char[n];
    }

    /** maxPerThread and maxShared mean nothing for an array site: rewritten all the same, with one note. */
    public static int[] withCapacities(int n) {
        return new @Pooled(maxPerThread = 4, maxShared = 8) int[n];
    }
}
