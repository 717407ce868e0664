package dev.shelf.internal;

/**
 * Pooled arrays: what the agent calls in place of {@code new @Pooled byte[n]} (and every other primitive type, and
 * reference arrays of one dimension), and what {@link dev.shelf.Shelf#release(Object)} calls for an array.
 *
 * <p>Called by generated code: names and descriptors are a contract listed in the agent's {@code RuntimeAbi}. The
 * agent rewrites {@code NEWARRAY T_BYTE} (the length on the stack) into {@code SIPUSH site; INVOKESTATIC
 * bytes(II)[B}, and {@code ANEWARRAY C} into {@code LDC C; SIPUSH site; INVOKESTATIC objects(ILjava/lang/Class;I)
 * [Ljava/lang/Object;; CHECKCAST [C}. Each method returns an array of exactly {@code length} elements, all zero
 * (or {@code null}), indistinguishable from {@code new}; a negative length throws
 * {@link NegativeArraySizeException}, as {@code new} does.
 *
 * <p>Sites are numbered with {@link Sites#register(String, String)} under the array type's source name
 * ({@link #sitesKey}): {@code byte[]}, {@code java.lang.String[]}, {@code byte[][]}.
 */
public final class ArrayShelf {

    private ArrayShelf() {
    }

    /**
     * The name the agent registers an array site under, for arrays of {@code componentTypeName}.
     *
     * @param componentTypeName the element type's source name: {@code byte}, {@code java.lang.String},
     *                          {@code byte[]}
     * @return the array type's source name, {@code byte[]}, {@code java.lang.String[]}, {@code byte[][]}
     */
    public static String sitesKey(String componentTypeName) {
        return componentTypeName + "[]";
    }

    /** @return a zeroed {@code boolean[length]} */
    public static boolean[] booleans(int length, int site) {
        return new boolean[length];
    }

    /** @return a zeroed {@code byte[length]} */
    public static byte[] bytes(int length, int site) {
        return new byte[length];
    }

    /** @return a zeroed {@code char[length]} */
    public static char[] chars(int length, int site) {
        return new char[length];
    }

    /** @return a zeroed {@code short[length]} */
    public static short[] shorts(int length, int site) {
        return new short[length];
    }

    /** @return a zeroed {@code int[length]} */
    public static int[] ints(int length, int site) {
        return new int[length];
    }

    /** @return a zeroed {@code float[length]} */
    public static float[] floats(int length, int site) {
        return new float[length];
    }

    /** @return a zeroed {@code long[length]} */
    public static long[] longs(int length, int site) {
        return new long[length];
    }

    /** @return a zeroed {@code double[length]} */
    public static double[] doubles(int length, int site) {
        return new double[length];
    }

    /**
     * @param component the element type (never primitive)
     * @return an array of {@code length} nulls whose runtime class is {@code component[]}
     */
    public static Object[] objects(int length, Class<?> component, int site) {
        return (Object[]) java.lang.reflect.Array.newInstance(component, length);
    }

    /**
     * Gives an array back, if a pooled site made it. Called by {@link dev.shelf.Shelf#release(Object)} for every
     * array.
     *
     * @param array any array
     * @return whether a pooled site made it (then it is pooled, or refused as a double release)
     */
    public static boolean release(Object array) {
        return false;
    }
}
