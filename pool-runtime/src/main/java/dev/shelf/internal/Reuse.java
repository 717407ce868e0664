package dev.shelf.internal;

import dev.shelf.internal.pool.SizeEstimate;

import java.util.BitSet;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Lets a re-initialiser keep what the constructor allocated.
 *
 * <p>Pooling a request object is worth it mostly for what hangs off it: the 16 KiB buffer, the list that grew to
 * 200 entries. A re-initialiser that ran {@code new ArrayList<>()} again would throw exactly that away. So where the
 * constructor does {@code this.f = new ArrayList<>()} (or another JDK container made with no argument or a capacity,
 * or a primitive array of any length) and {@code f} is <em>owned</em> — assigned nowhere but there — the
 * re-initialiser asks these methods for the old container, emptied, and allocates only when there is none of the
 * exact same class. An emptied container of the exact class made by the same expression is indistinguishable from
 * a new one; only its capacity differs, and capacity is the point.
 *
 * <p>Called by generated code (re-initialisers, scrubs, {@code $shelf$ownedBytes()}): names and descriptors are a
 * contract listed in the agent's {@code RuntimeAbi}.
 */
public final class Reuse {

    private Reuse() {
    }

    /**
     * The old container, emptied, if it is of exactly {@code type}.
     *
     * @param old  what the field holds now (may be {@code null})
     * @param type the class the constructor would allocate
     * @return {@code old}, emptied; or {@code null} when the caller must allocate
     */
    public static @Nullable Object cleared(@Nullable Object old, Class<?> type) {
        if (old == null || old.getClass() != type) {
            return null;
        }
        return empty(old) ? old : null;
    }

    /**
     * The old primitive array, zeroed, if it has exactly the type and length the constructor would allocate.
     *
     * @param old       what the field holds now (may be {@code null})
     * @param arrayType e.g. {@code byte[].class}
     * @param length    the constant length in the constructor
     * @return {@code old}, zeroed; or {@code null} when the caller must allocate
     */
    public static @Nullable Object zeroed(@Nullable Object old, Class<?> arrayType, int length) {
        if (old == null || old.getClass() != arrayType) {
            return null;
        }
        ZeroFill zeroes = ZeroFill.of(arrayType);
        if (zeroes == null || java.lang.reflect.Array.getLength(old) != length) {
            return null;
        }
        zeroes.zero(old, length);
        return old;
    }

    /**
     * The old container, emptied, if it is of exactly {@code type} and {@code capacity} is one the constructor
     * accepts: a computed capacity the constructor would refuse (negative; below 1 for a {@code PriorityQueue}) must
     * throw as {@code new} does, so the caller allocates and the constructor throws.
     *
     * @param old      what the field holds now (may be {@code null})
     * @param type     the class the constructor would allocate
     * @param capacity the capacity the constructor computed
     * @return {@code old}, emptied; or {@code null} when the caller must allocate
     */
    public static @Nullable Object cleared(@Nullable Object old, Class<?> type, int capacity) {
        if (capacity < 0 || (capacity < 1 && type == java.util.PriorityQueue.class)) {
            return null;
        }
        return cleared(old, type);
    }

    /*
     * Owned primitive arrays: the re-initialiser computes the length exactly as the constructor does and calls one of
     * these with it. The kept array comes back zeroed when it has that very length; otherwise a new one is made, as
     * `new` would (a negative length throws NegativeArraySizeException from here, as from the constructor). No
     * branch in the generated code, and the length expression runs once.
     */

    /** Returns {@code old} zeroed if it has {@code length} elements, else {@code new byte[length]}. */
    public static byte[] bytes(int length, byte[] old) {
        if (old == null || old.length != length) {
            return new byte[length];
        }
        ZeroFill.BYTES.zero(old, length);
        return old;
    }

    /** Returns {@code old} zeroed if it has {@code length} elements, else {@code new char[length]}. */
    public static char[] chars(int length, char[] old) {
        if (old == null || old.length != length) {
            return new char[length];
        }
        ZeroFill.CHARS.zero(old, length);
        return old;
    }

    /** Returns {@code old} zeroed if it has {@code length} elements, else {@code new short[length]}. */
    public static short[] shorts(int length, short[] old) {
        if (old == null || old.length != length) {
            return new short[length];
        }
        ZeroFill.SHORTS.zero(old, length);
        return old;
    }

    /** Returns {@code old} zeroed if it has {@code length} elements, else {@code new int[length]}. */
    public static int[] ints(int length, int[] old) {
        if (old == null || old.length != length) {
            return new int[length];
        }
        ZeroFill.INTS.zero(old, length);
        return old;
    }

    /** Returns {@code old} zeroed if it has {@code length} elements, else {@code new long[length]}. */
    public static long[] longs(int length, long[] old) {
        if (old == null || old.length != length) {
            return new long[length];
        }
        ZeroFill.LONGS.zero(old, length);
        return old;
    }

    /** Returns {@code old} zeroed if it has {@code length} elements, else {@code new float[length]}. */
    public static float[] floats(int length, float[] old) {
        if (old == null || old.length != length) {
            return new float[length];
        }
        ZeroFill.FLOATS.zero(old, length);
        return old;
    }

    /** Returns {@code old} zeroed if it has {@code length} elements, else {@code new double[length]}. */
    public static double[] doubles(int length, double[] old) {
        if (old == null || old.length != length) {
            return new double[length];
        }
        ZeroFill.DOUBLES.zero(old, length);
        return old;
    }

    /** Returns {@code old} zeroed if it has {@code length} elements, else {@code new boolean[length]}. */
    public static boolean[] booleans(int length, boolean[] old) {
        if (old == null || old.length != length) {
            return new boolean[length];
        }
        ZeroFill.BOOLEANS.zero(old, length);
        return old;
    }

    /*
     * Owned @Scratch arrays: kept as they are when the length matches (the program writes before it reads), made anew
     * otherwise. In strict mode filled with a poison pattern instead, so that reading stale data shows.
     */

    /** Returns {@code old} as it is if it has {@code length} elements (poisoned in strict mode), else a new array. */
    public static byte[] scratchBytes(int length, byte[] old) {
        if (old == null || old.length != length) {
            return new byte[length];
        }
        if (Strict.isOn()) {
            java.util.Arrays.fill(old, POISON_BYTE);
        }
        return old;
    }

    /** Returns {@code old} as it is if it has {@code length} elements (poisoned in strict mode), else a new array. */
    public static char[] scratchChars(int length, char[] old) {
        if (old == null || old.length != length) {
            return new char[length];
        }
        if (Strict.isOn()) {
            java.util.Arrays.fill(old, (char) 0xA5A5);
        }
        return old;
    }

    /** Returns {@code old} as it is if it has {@code length} elements (poisoned in strict mode), else a new array. */
    public static short[] scratchShorts(int length, short[] old) {
        if (old == null || old.length != length) {
            return new short[length];
        }
        if (Strict.isOn()) {
            java.util.Arrays.fill(old, (short) 0xA5A5);
        }
        return old;
    }

    /** Returns {@code old} as it is if it has {@code length} elements (poisoned in strict mode), else a new array. */
    public static int[] scratchInts(int length, int[] old) {
        if (old == null || old.length != length) {
            return new int[length];
        }
        if (Strict.isOn()) {
            java.util.Arrays.fill(old, 0xA5A5A5A5);
        }
        return old;
    }

    /** Returns {@code old} as it is if it has {@code length} elements (poisoned in strict mode), else a new array. */
    public static long[] scratchLongs(int length, long[] old) {
        if (old == null || old.length != length) {
            return new long[length];
        }
        if (Strict.isOn()) {
            java.util.Arrays.fill(old, 0xA5A5A5A5A5A5A5A5L);
        }
        return old;
    }

    /** Returns {@code old} as it is if it has {@code length} elements (poisoned in strict mode), else a new array. */
    public static float[] scratchFloats(int length, float[] old) {
        if (old == null || old.length != length) {
            return new float[length];
        }
        if (Strict.isOn()) {
            java.util.Arrays.fill(old, Float.intBitsToFloat(0xA5A5A5A5));
        }
        return old;
    }

    /** Returns {@code old} as it is if it has {@code length} elements (poisoned in strict mode), else a new array. */
    public static double[] scratchDoubles(int length, double[] old) {
        if (old == null || old.length != length) {
            return new double[length];
        }
        if (Strict.isOn()) {
            java.util.Arrays.fill(old, Double.longBitsToDouble(0xA5A5A5A5A5A5A5A5L));
        }
        return old;
    }

    /** Returns {@code old} as it is if it has {@code length} elements (poisoned in strict mode: all true), else new. */
    public static boolean[] scratchBooleans(int length, boolean[] old) {
        if (old == null || old.length != length) {
            return new boolean[length];
        }
        if (Strict.isOn()) {
            java.util.Arrays.fill(old, true);
        }
        return old;
    }

    /** The poison strict mode fills a reused scratch byte array with. */
    public static final byte POISON_BYTE = (byte) 0xA5;

    /**
     * Empties an owned container when its object is released, so that it pins none of its elements while idle —
     * unless it grew past {@link #maxRetainedBytes()}: then it is left as it is for the caller to let go, and the
     * re-initialiser makes a new one as the constructor does (capacity is the one thing a reused container may
     * differ in, and here the difference is too big to keep idle).
     *
     * @param owned the container (may be {@code null})
     * @return {@code true} when the container is emptied and may be kept (or there is none); {@code false} when the
     *         caller must let it go
     */
    public static boolean emptied(Object owned) {
        if (owned == null) {
            return true;
        }
        Class<?> k = owned.getClass();
        if (k == java.util.ArrayList.class) { // the commonest owned container, without the type dispatch below
            java.util.ArrayList<?> l = (java.util.ArrayList<?>) owned;
            if (16L + 4L * l.size() > maxRetainedBytes) {
                return false;
            }
            l.clear();
            return true;
        }
        if (SizeEstimate.retainedBytes(owned) > maxRetainedBytes) {
            return false;
        }
        empty(owned);
        return true;
    }

    /**
     * What an owned field's value keeps while its object is idle, for the object's generated
     * {@code $shelf$ownedBytes()}: an array at its length, a container at its estimated storage.
     *
     * @param owned the field's value (may be {@code null})
     * @return estimated bytes
     */
    public static long bytesOf(Object owned) {
        return SizeEstimate.ownedBytes(owned);
    }

    /** Default of {@code shelf.pool.maxRetainedBytes}. */
    public static final long DEFAULT_MAX_RETAINED_BYTES = 1L << 20;

    /**
     * Set once at start-up by the agent's configuration, before any pooled class runs.
     * racy: a plain static read by every thread that scrubs an object; the agent's premain writes it before the
     * application's threads start, and {@code Thread.start} orders that write before everything they do.
     */
    private static long maxRetainedBytes = DEFAULT_MAX_RETAINED_BYTES;

    /**
     * Sets {@code shelf.pool.maxRetainedBytes}.
     *
     * @param bytes the largest estimated backing storage an owned container may keep while idle
     */
    public static void maxRetainedBytes(long bytes) {
        maxRetainedBytes = bytes;
    }

    /** Returns {@code shelf.pool.maxRetainedBytes}. */
    public static long maxRetainedBytes() {
        return maxRetainedBytes;
    }

    private static boolean empty(Object o) {
        // The commonest containers first, by exact class: a direct, inlinable call instead of an interface call that
        // every pooled class's containers make megamorphic.
        Class<?> k = o.getClass();
        if (k == java.util.ArrayList.class) {
            ((java.util.ArrayList<?>) o).clear();
        } else if (k == StringBuilder.class) {
            ((StringBuilder) o).setLength(0);
        } else if (k == java.util.HashMap.class) {
            ((java.util.HashMap<?, ?>) o).clear();
        } else if (o instanceof Collection<?> c) {
            c.clear();
        } else if (o instanceof Map<?, ?> m) {
            m.clear();
        } else if (o instanceof StringBuilder sb) {
            sb.setLength(0);
        } else if (o instanceof StringBuffer sb) {
            sb.setLength(0);
        } else if (o instanceof BitSet b) {
            b.clear();
        } else {
            return false;
        }
        return true;
    }
}
