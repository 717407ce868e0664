package dev.shelf.internal;

import java.util.BitSet;
import java.util.Collection;
import java.util.Map;

/**
 * Lets a re-initialiser keep what the constructor allocated.
 *
 * <p>Pooling a request object is worth it mostly for what hangs off it: the 16 KiB buffer, the list that grew to
 * 200 entries. A re-initialiser that ran {@code new ArrayList<>()} again would throw exactly that away. So where the
 * constructor does {@code this.f = new ArrayList<>()} (or another JDK container made with no argument or a capacity,
 * or a primitive array of constant length) and {@code f} is <em>owned</em> — assigned nowhere but there — the
 * re-initialiser asks these methods for the old container, emptied, and allocates only when there is none of the
 * exact same class. An emptied container of the exact class made by the same expression is indistinguishable from
 * a new one; only its capacity differs, and capacity is the point.
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
    public static Object cleared(Object old, Class<?> type) {
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
    public static Object zeroed(Object old, Class<?> arrayType, int length) {
        if (old == null || old.getClass() != arrayType) {
            return null;
        }
        Object zeros = Zeros.of(arrayType);
        if (zeros == null || java.lang.reflect.Array.getLength(old) != length) {
            return null;
        }
        int block = java.lang.reflect.Array.getLength(zeros);
        for (int from = 0; from < length; from += block) {
            System.arraycopy(zeros, 0, old, from, Math.min(block, length - from));
        }
        return old;
    }

    /**
     * Blocks of zeros to copy over an owned primitive array, one per element type.
     *
     * <p>Why not {@code Arrays.fill}: it is a plain Java loop, fast only once the JIT has compiled it, and on a busy
     * small machine the JIT can take many seconds to get to it — the agent's own start-up work fills the compile
     * queue. Until then every reuse of an object owning a 16 KiB buffer ran 16,384 interpreted iterations, some
     * 150–250 µs, ten times what the whole request cost otherwise: the HTTP sample measured with the agent at half
     * the throughput of without in such runs (JFR: most samples in an interpreted {@code Arrays.fill} under
     * {@code $shelf$reinit}). {@code System.arraycopy} is native code from the first call, interpreted caller or
     * not (~1–2 µs for 16 KiB), and as fast as the compiled fill loop once compiled. A fresh {@code new byte[n]} is
     * zeroed by the VM, never by a Java loop; this keeps reuse on the same footing. 4 KiB blocks stay in the L1
     * cache; the holder class is initialised on the first zeroing, so 32 KiB are only spent in an app that has
     * owned primitive arrays.
     */
    private static final class Zeros {
        private static final int BLOCK_BYTES = 4096;
        private static final byte[] BYTES = new byte[BLOCK_BYTES];
        private static final boolean[] BOOLEANS = new boolean[BLOCK_BYTES];
        private static final char[] CHARS = new char[BLOCK_BYTES / Character.BYTES];
        private static final short[] SHORTS = new short[BLOCK_BYTES / Short.BYTES];
        private static final int[] INTS = new int[BLOCK_BYTES / Integer.BYTES];
        private static final float[] FLOATS = new float[BLOCK_BYTES / Float.BYTES];
        private static final long[] LONGS = new long[BLOCK_BYTES / Long.BYTES];
        private static final double[] DOUBLES = new double[BLOCK_BYTES / Double.BYTES];

        /** @return a block of zeros of {@code arrayType}, or {@code null} if it is not a primitive array type */
        static Object of(Class<?> arrayType) {
            if (arrayType == byte[].class) {
                return BYTES;
            } else if (arrayType == char[].class) {
                return CHARS;
            } else if (arrayType == int[].class) {
                return INTS;
            } else if (arrayType == long[].class) {
                return LONGS;
            } else if (arrayType == short[].class) {
                return SHORTS;
            } else if (arrayType == double[].class) {
                return DOUBLES;
            } else if (arrayType == float[].class) {
                return FLOATS;
            } else if (arrayType == boolean[].class) {
                return BOOLEANS;
            }
            return null;
        }
    }

    /**
     * Empties an owned container when its object is released, so that it pins none of its elements while idle.
     *
     * @param owned the container (may be {@code null})
     */
    public static void scrub(Object owned) {
        if (owned != null) {
            empty(owned);
        }
    }

    private static boolean empty(Object o) {
        if (o instanceof Collection<?> c) {
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
