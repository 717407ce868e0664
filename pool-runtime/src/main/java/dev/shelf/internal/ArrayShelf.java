package dev.shelf.internal;

import dev.shelf.internal.pool.ArrayLedger;
import dev.shelf.internal.pool.ArrayPools;
import dev.shelf.internal.pool.ClassPool;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

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
 *
 * <h2>What happens</h2>
 * Each element type has its pools, one per exact length ({@link ArrayPools}): {@code byte[65536]} is a pool like a
 * pooled class's, with per-thread stacks, the shared depot, GC eviction, the idle-bytes budget and per-site counters,
 * listed in {@code Shelf.stats()}, JMX, JFR and the exit report under that name. An acquire finds the length's pool
 * (a lock-free table lookup; the pool is created on first use), takes an idle array from it and zeroes it; on a miss
 * it allocates, and files the new array in the {@link ArrayLedger}, which is how a release knows the array is one of
 * ours and whether it was released already. No lock, no allocation and no {@code ThreadLocal} on a hit.
 *
 * <p>Not pooled, allocated exactly as {@code new} does: arrays of length 0 (and negative lengths, which throw), and
 * everything while the agent is not active. An element type's lengths beyond {@link ArrayPools#MAX_LENGTHS} are
 * allocated too, but still filed in the ledger, so releasing them is accepted and a double release still refused.
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

    /** Returns a zeroed {@code boolean[length]}, from its pool if one is idle; see the class comment. */
    public static boolean[] booleans(int length, int site) {
        ClassPool p = ArrayPools.BOOLEANS.find(length);
        if (p == null) {
            p = poolSlow(ArrayPools.BOOLEANS, length);
        }
        if (p != null) {
            Object a = p.acquire(site);
            if (a != null) {
                ArrayLedger.out(a, site);
                ZeroFill.BOOLEANS.zero(a, length);
                return (boolean[]) a;
            }
        }
        boolean[] fresh = new boolean[length];
        made(fresh, length, p, site);
        return fresh;
    }

    /** Returns a zeroed {@code byte[length]}, from its pool if one is idle; see the class comment. */
    public static byte[] bytes(int length, int site) {
        ClassPool p = ArrayPools.BYTES.find(length);
        if (p == null) {
            p = poolSlow(ArrayPools.BYTES, length);
        }
        if (p != null) {
            Object a = p.acquire(site);
            if (a != null) {
                ArrayLedger.out(a, site);
                ZeroFill.BYTES.zero(a, length);
                return (byte[]) a;
            }
        }
        byte[] fresh = new byte[length];
        made(fresh, length, p, site);
        return fresh;
    }

    /** Returns a zeroed {@code char[length]}, from its pool if one is idle; see the class comment. */
    public static char[] chars(int length, int site) {
        ClassPool p = ArrayPools.CHARS.find(length);
        if (p == null) {
            p = poolSlow(ArrayPools.CHARS, length);
        }
        if (p != null) {
            Object a = p.acquire(site);
            if (a != null) {
                ArrayLedger.out(a, site);
                ZeroFill.CHARS.zero(a, length);
                return (char[]) a;
            }
        }
        char[] fresh = new char[length];
        made(fresh, length, p, site);
        return fresh;
    }

    /** Returns a zeroed {@code short[length]}, from its pool if one is idle; see the class comment. */
    public static short[] shorts(int length, int site) {
        ClassPool p = ArrayPools.SHORTS.find(length);
        if (p == null) {
            p = poolSlow(ArrayPools.SHORTS, length);
        }
        if (p != null) {
            Object a = p.acquire(site);
            if (a != null) {
                ArrayLedger.out(a, site);
                ZeroFill.SHORTS.zero(a, length);
                return (short[]) a;
            }
        }
        short[] fresh = new short[length];
        made(fresh, length, p, site);
        return fresh;
    }

    /** Returns a zeroed {@code int[length]}, from its pool if one is idle; see the class comment. */
    public static int[] ints(int length, int site) {
        ClassPool p = ArrayPools.INTS.find(length);
        if (p == null) {
            p = poolSlow(ArrayPools.INTS, length);
        }
        if (p != null) {
            Object a = p.acquire(site);
            if (a != null) {
                ArrayLedger.out(a, site);
                ZeroFill.INTS.zero(a, length);
                return (int[]) a;
            }
        }
        int[] fresh = new int[length];
        made(fresh, length, p, site);
        return fresh;
    }

    /** Returns a zeroed {@code float[length]}, from its pool if one is idle; see the class comment. */
    public static float[] floats(int length, int site) {
        ClassPool p = ArrayPools.FLOATS.find(length);
        if (p == null) {
            p = poolSlow(ArrayPools.FLOATS, length);
        }
        if (p != null) {
            Object a = p.acquire(site);
            if (a != null) {
                ArrayLedger.out(a, site);
                ZeroFill.FLOATS.zero(a, length);
                return (float[]) a;
            }
        }
        float[] fresh = new float[length];
        made(fresh, length, p, site);
        return fresh;
    }

    /** Returns a zeroed {@code long[length]}, from its pool if one is idle; see the class comment. */
    public static long[] longs(int length, int site) {
        ClassPool p = ArrayPools.LONGS.find(length);
        if (p == null) {
            p = poolSlow(ArrayPools.LONGS, length);
        }
        if (p != null) {
            Object a = p.acquire(site);
            if (a != null) {
                ArrayLedger.out(a, site);
                ZeroFill.LONGS.zero(a, length);
                return (long[]) a;
            }
        }
        long[] fresh = new long[length];
        made(fresh, length, p, site);
        return fresh;
    }

    /** Returns a zeroed {@code double[length]}, from its pool if one is idle; see the class comment. */
    public static double[] doubles(int length, int site) {
        ClassPool p = ArrayPools.DOUBLES.find(length);
        if (p == null) {
            p = poolSlow(ArrayPools.DOUBLES, length);
        }
        if (p != null) {
            Object a = p.acquire(site);
            if (a != null) {
                ArrayLedger.out(a, site);
                ZeroFill.DOUBLES.zero(a, length);
                return (double[]) a;
            }
        }
        double[] fresh = new double[length];
        made(fresh, length, p, site);
        return fresh;
    }

    /**
     * Returns an array of {@code length} nulls whose runtime class is {@code component[]}, from its pool if one is idle.
     *
     * @param component the element type (never primitive)
     */
    public static Object[] objects(int length, Class<?> component, int site) {
        ArrayPools pools = ArrayPools.of(component);
        ClassPool p = pools.find(length);
        if (p == null) {
            p = poolSlow(pools, length);
        }
        if (p != null) {
            Object a = p.acquire(site);
            if (a != null) {
                ArrayLedger.out(a, site);
                Object[] reused = (Object[]) a;
                Arrays.fill(reused, null); // nulled on release already; again, in case it was written after release
                return reused;
            }
        }
        Object[] fresh = (Object[]) java.lang.reflect.Array.newInstance(component, length);
        made(fresh, length, p, site);
        return fresh;
    }

    /**
     * Gives an array back, if a pooled site made it. Called by {@link dev.shelf.Shelf#release(Object)} for every
     * array.
     *
     * @param array any array
     * @return whether a pooled site made it (then it is pooled, or refused as a double release); also {@code true}
     *         for an array of length 0, which is never pooled and has nothing to give back
     * @throws dev.shelf.PoolMisuseException on a double release, in strict mode
     */
    public static boolean release(Object array) {
        return ArrayLedger.release(array) || java.lang.reflect.Array.getLength(array) == 0;
    }

    /**
     * A length's pool was not found: creates it, unless the agent is not active or the length is never pooled.
     *
     * @return the pool, or {@code null}: allocate as {@code new} does
     */
    private static @Nullable ClassPool poolSlow(ArrayPools pools, int length) {
        if (length <= 0 || !ShelfRegistry.isActive()) {
            return null;
        }
        return pools.create(length, ShelfRegistry.defaultCapacity(), ShelfRegistry.defaultMaxShared());
    }

    /**
     * A pooled site allocated: files the array in the ledger, so that its release is accepted (and pooled if its
     * length has a pool). Not when nothing is pooled (the agent is not active, or length 0).
     */
    private static void made(Object array, int length, @Nullable ClassPool pool, int site) {
        if (pool != null || (length > 0 && ShelfRegistry.isActive())) {
            ArrayLedger.add(array, site, pool);
        }
    }
}
