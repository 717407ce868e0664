package dev.shelf.internal;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Zeroes an owned primitive array for its re-initialiser, fast from the first reuse on and as fast as the JIT can
 * make it later. One instance per element type.
 *
 * <p><b>Why not simply {@code Arrays.fill}.</b> It is a plain Java loop: once C2 has compiled it, it zeroes ~70
 * bytes per ns with vector stores, the cheapest sound way there is (see {@code benchmarks/.../Zeroing}); but until
 * then it runs in the interpreter at ~10 ns per element. On a busy small machine the JIT took 7–12 s to get to it,
 * its queue filled by the application's and the agent's own start-up: every reuse of an object owning a 16 KiB
 * buffer then cost 150–250 µs, and the HTTP sample ran at half the throughput of the same app without Shelf.
 *
 * <p><b>Why not simply {@code System.arraycopy} from a block of zeros.</b> It is native from the first call (1–2 µs
 * for 16 KiB even from interpreted code) and the fastest way for small arrays (~10 ns for 256 B against ~20 ns for
 * the fill loop), but for large arrays it reads as much as it writes: ~300 ns for 16 KiB against ~215 ns for the
 * compiled fill, measured in one JMH run.
 *
 * <p><b>So both.</b> Arrays no longer than the block are copied. Larger ones are copied until the fill loop is known
 * to be compiled by C2. Every {@value #PROBE_EVERY}th large zeroing, the first {@value #PROBE_BYTES} bytes are
 * zeroed with the same {@code Arrays.fill} overload and timed (a probe costs ~10 µs interpreted, nothing once
 * compiled, and warms the loop up as a side effect); when a probe finishes within {@value #FAST_NANOS} ns — a
 * vectorised loop needs ~15 ns, C1's code several hundred — every later large zeroing of this type fills. A probe
 * interrupted by the scheduler only looks slow and is tried again; it can never look fast when it is not. Either
 * path writes every element, so the choice changes only the speed, never the result.
 */
final class ZeroFill {

    /** Size of the blocks of zeros copied over an array: small enough to stay in the L1 cache. */
    static final int BLOCK_BYTES = 4096;
    /** Bytes zeroed by a timed probe of the fill loop. */
    static final int PROBE_BYTES = 1024;
    /** A probe of {@link #PROBE_BYTES} faster than this means the fill loop is C2-compiled. */
    static final long FAST_NANOS = 200;
    /** Large zeroings between two probes; a power of two. */
    static final int PROBE_EVERY = 16;

    static final ZeroFill BYTES = new ZeroFill(1);
    static final ZeroFill BOOLEANS = new ZeroFill(1);
    static final ZeroFill CHARS = new ZeroFill(Character.BYTES);
    static final ZeroFill SHORTS = new ZeroFill(Short.BYTES);
    static final ZeroFill INTS = new ZeroFill(Integer.BYTES);
    static final ZeroFill FLOATS = new ZeroFill(Float.BYTES);
    static final ZeroFill LONGS = new ZeroFill(Long.BYTES);
    static final ZeroFill DOUBLES = new ZeroFill(Double.BYTES);

    /*
     * The blocks of zeros, one per element type, in static final fields of their exact array types: C2 treats static
     * finals as constants, so with the destination's type known at the inlined call site both types of the copy are
     * known when it is compiled. A block in an instance field typed Object (C2 does not treat final instance fields
     * as constants) left the source's type unknown, and the copy measured ~5% slower on the agent path
     * (docs/benchmarks.md, "typed copies"); now it costs what a plain typed copy does (SmallZeroing).
     */
    private static final byte[] ZERO_BYTES = new byte[BLOCK_BYTES];
    private static final boolean[] ZERO_BOOLEANS = new boolean[BLOCK_BYTES];
    private static final char[] ZERO_CHARS = new char[BLOCK_BYTES / Character.BYTES];
    private static final short[] ZERO_SHORTS = new short[BLOCK_BYTES / Short.BYTES];
    private static final int[] ZERO_INTS = new int[BLOCK_BYTES / Integer.BYTES];
    private static final float[] ZERO_FLOATS = new float[BLOCK_BYTES / Float.BYTES];
    private static final long[] ZERO_LONGS = new long[BLOCK_BYTES / Long.BYTES];
    private static final double[] ZERO_DOUBLES = new double[BLOCK_BYTES / Double.BYTES];

    private final int blockLength;
    private final int probeLength;

    /** Set once, by a fast probe; a stale {@code false} only means one more copy. */
    private volatile boolean fillCompiled;
    /** Large zeroings so far. racy: plain increments from any thread may be lost; it only paces the probes. */
    private int calls;

    private ZeroFill(int elementBytes) {
        this.blockLength = BLOCK_BYTES / elementBytes;
        this.probeLength = PROBE_BYTES / elementBytes;
    }

    /** Returns the zeroer for arrays of {@code arrayType}, or {@code null} if it is not a primitive array type. */
    static @Nullable ZeroFill of(Class<?> arrayType) {
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

    /**
     * Sets every element of {@code a} to zero.
     *
     * @param a      an array of this zeroer's type
     * @param length its length
     */
    void zero(Object a, int length) {
        if (length <= blockLength) {
            copyZeros(a, 0, length);
        } else if (fillCompiled) {
            fill(a, 0, length);
        } else {
            int from = 0;
            if ((++calls & (PROBE_EVERY - 1)) == 0) {
                long start = System.nanoTime();
                fill(a, 0, probeLength);
                if (System.nanoTime() - start < FAST_NANOS) {
                    fillCompiled = true;
                }
                from = probeLength;
            }
            for (; from < length; from += blockLength) {
                copyZeros(a, from, Math.min(blockLength, length - from));
            }
        }
    }

    /** Returns whether large arrays of this type are zeroed by the fill loop now (for tests). */
    boolean fills() {
        return fillCompiled;
    }

    /**
     * Overrides what the probes found (for tests, which must cover both paths whatever the JIT did).
     *
     * @param fill whether large arrays are zeroed by the fill loop from now on (until a probe finds it fast)
     */
    void fillFromNowOn(boolean fill) {
        fillCompiled = fill;
    }

    /**
     * Copies {@code length} zeros (at most a block) over {@code a} from {@code from}. Where the caller's array type is
     * known, the JIT folds the chain to one typed copy.
     */
    private static void copyZeros(Object a, int from, int length) {
        if (a instanceof byte[] b) {
            System.arraycopy(ZERO_BYTES, 0, b, from, length);
        } else if (a instanceof char[] c) {
            System.arraycopy(ZERO_CHARS, 0, c, from, length);
        } else if (a instanceof int[] i) {
            System.arraycopy(ZERO_INTS, 0, i, from, length);
        } else if (a instanceof long[] l) {
            System.arraycopy(ZERO_LONGS, 0, l, from, length);
        } else if (a instanceof short[] s) {
            System.arraycopy(ZERO_SHORTS, 0, s, from, length);
        } else if (a instanceof double[] d) {
            System.arraycopy(ZERO_DOUBLES, 0, d, from, length);
        } else if (a instanceof float[] f) {
            System.arraycopy(ZERO_FLOATS, 0, f, from, length);
        } else {
            System.arraycopy(ZERO_BOOLEANS, 0, (boolean[]) a, from, length);
        }
    }

    /** The fill loop over {@code [from, to)}: always the range overload, so the probe times the code used later. */
    private static void fill(Object a, int from, int to) {
        if (a instanceof byte[] b) {
            Arrays.fill(b, from, to, (byte) 0);
        } else if (a instanceof char[] c) {
            Arrays.fill(c, from, to, (char) 0);
        } else if (a instanceof int[] i) {
            Arrays.fill(i, from, to, 0);
        } else if (a instanceof long[] l) {
            Arrays.fill(l, from, to, 0L);
        } else if (a instanceof short[] s) {
            Arrays.fill(s, from, to, (short) 0);
        } else if (a instanceof double[] d) {
            Arrays.fill(d, from, to, 0d);
        } else if (a instanceof float[] f) {
            Arrays.fill(f, from, to, 0f);
        } else {
            Arrays.fill((boolean[]) a, from, to, false);
        }
    }
}
