package dev.shelf.internal.pool;

import dev.shelf.internal.observe.RuntimeLog;

import org.jspecify.annotations.Nullable;

/**
 * The pools of one array element type, one {@link ClassPool} per exact length: {@code byte[4096]} and
 * {@code byte[65536]} are two pools. What {@code dev.shelf.internal.ArrayShelf} acquires from.
 *
 * <p>A pool of arrays is a pool of objects like any other (per-thread LIFO stacks, the shared depot, virtual-thread
 * slots, GC eviction, the idle-bytes budget, per-site counters), with three differences: it is named by the array
 * type and length, its sites are numbered under the array type ({@code byte[]}, where the agent registers them), and
 * the size of one element is exact (header plus length times element size) rather than estimated.
 *
 * <h2>Finding the pool of a length</h2>
 * The hot path looks the length up in a small open-addressing table ({@link Table}: lengths and pools in two
 * parallel arrays, Fibonacci hashing, linear probing): a multiply, a shift and usually one compare, lock-free, no
 * allocation, no boxing. The table is copy-on-write: a pool is created under this object's lock on a miss, and a new
 * table replaces the field. The field is a plain one, as in {@link ThreadTable}: a table is immutable and its arrays
 * are final fields, so a racy read sees a complete table, at worst an older one, and a miss is re-checked under the
 * lock before anything is created.
 *
 * <h2>Bounded</h2>
 * At most {@value #MAX_LENGTHS} lengths per element type get a pool: each pool is listed in {@link Pools} (a JMX bean,
 * a row in the report) and keeps its own stacks, and a site whose length varies with its input would otherwise make
 * a pool per input. Arrays of further lengths are allocated as by {@code new}, with one warning per element type.
 *
 * <h2>No class-loader leaks</h2>
 * The pools of a reference element type are reachable only from the element class's {@link ClassValue} entry (and
 * weakly from {@link Pools}), so idle arrays of an undeployed application's class go with the class.
 */
public final class ArrayPools {

    /** Lengths pooled per element type; further lengths allocate. */
    public static final int MAX_LENGTHS = 64;

    public static final ArrayPools BOOLEANS = new ArrayPools(boolean.class);
    public static final ArrayPools BYTES = new ArrayPools(byte.class);
    public static final ArrayPools CHARS = new ArrayPools(char.class);
    public static final ArrayPools SHORTS = new ArrayPools(short.class);
    public static final ArrayPools INTS = new ArrayPools(int.class);
    public static final ArrayPools FLOATS = new ArrayPools(float.class);
    public static final ArrayPools LONGS = new ArrayPools(long.class);
    public static final ArrayPools DOUBLES = new ArrayPools(double.class);

    private static final ClassValue<ArrayPools> OF_COMPONENT = new ClassValue<>() {
        @Override
        protected ArrayPools computeValue(Class<?> component) {
            return new ArrayPools(component);
        }
    };

    /**
     * Lengths to pools, copy-on-write: replaced under this object's lock, read without it.
     * racy: a plain field read by every acquire. A table is immutable (final arrays filled before the constructor
     * returns), so a stale read is an older table and costs only a miss, which {@link #create} checks again under
     * the lock.
     */
    private Table table = Table.EMPTY;

    /** The array type, e.g. {@code byte[].class}; keeps its pools' listing (and class loader) right. */
    private final Class<?> arrayType;
    private final String namePrefix;
    private final String nameSuffix;
    private final String sitesKey;
    private final int elementBytes;

    /** Pools created; guarded by this. */
    private int lengths;

    private ArrayPools(Class<?> component) {
        this.arrayType = component.arrayType();
        StringBuilder dims = new StringBuilder();
        Class<?> base = component;
        while (base.isArray()) {
            dims.append("[]");
            base = base.getComponentType();
        }
        this.namePrefix = base.getName() + "[";
        this.nameSuffix = "]" + dims;
        this.sitesKey = base.getName() + dims + "[]";
        this.elementBytes = elementBytes(component);
    }

    /**
     * The pools of arrays of a reference type.
     *
     * @param component the element type, not primitive
     * @return its pools (made on first use, kept with the class)
     */
    public static ArrayPools of(Class<?> component) {
        return OF_COMPONENT.get(component);
    }

    /**
     * The pool of an array's type and length, for a release.
     *
     * @param array a reference array
     * @return its pool, or {@code null} when that length has none
     */
    static @Nullable ClassPool poolOf(Object[] array) {
        return of(array.getClass().getComponentType()).find(array.length);
    }

    /**
     * The hot lookup: the pool of arrays of {@code length}, if there is one yet.
     *
     * @param length any int
     * @return the pool, or {@code null} (not created yet, not pooled, or a length that is never pooled: 0 or
     *         negative) — the caller's slow path decides
     */
    public @Nullable ClassPool find(int length) {
        return table.find(length);
    }

    /**
     * Creates the pool of arrays of {@code length}, or finds it if another thread did. Slow path.
     *
     * @param length    a positive length
     * @param capacity  idle arrays one thread may keep
     * @param maxShared idle arrays the shared depot may keep
     * @return the pool, or {@code null} when this element type has {@value #MAX_LENGTHS} pools already
     */
    public synchronized @Nullable ClassPool create(int length, int capacity, int maxShared) {
        if (length <= 0) {
            throw new IllegalArgumentException("length " + length);
        }
        Table t = table;
        ClassPool p = t.find(length);
        if (p != null) {
            return p;
        }
        if (lengths >= MAX_LENGTHS) {
            RuntimeLog.warnOnce("array-lengths:" + sitesKey, "more than " + MAX_LENGTHS + " lengths of " + sitesKey
                    + " are made at @Pooled sites: further lengths (here " + length + ") are allocated, not pooled; "
                    + "pooling pays for arrays of a few fixed lengths (round sizes up to a few buckets)");
            return null;
        }
        p = new ClassPool(namePrefix + length + nameSuffix, sitesKey, bytes(length), capacity, maxShared);
        table = t.with(length, p);
        lengths++;
        Pools.addArray(arrayType, p); // statistics, GC trimming, observers; never throws
        return p;
    }

    /** Returns the name sites of this array type are registered under, {@code byte[]}. */
    public String sitesKey() {
        return sitesKey;
    }

    /**
     * The exact size of one array: the array header plus its elements, aligned to 8 bytes.
     *
     * @param length its length
     * @return bytes
     */
    long bytes(int length) {
        return SizeEstimate.align(SizeEstimate.ARRAY_HEADER + (long) length * elementBytes);
    }

    private static int elementBytes(Class<?> component) {
        if (!component.isPrimitive()) {
            return SizeEstimate.REFERENCE;
        } else if (component == long.class || component == double.class) {
            return 8;
        } else if (component == int.class || component == float.class) {
            return 4;
        } else if (component == char.class || component == short.class) {
            return 2;
        }
        return 1;
    }

    /**
     * An immutable open-addressing table from lengths to pools: at most half full, so every probe ends at an empty
     * slot (length 0, which is never pooled).
     */
    static final class Table {

        static final Table EMPTY = new Table(new int[8], new ClassPool[8]);

        private final int[] lengths;
        /** The pool of each slot's length; {@code null} in empty slots. */
        private final ClassPool[] pools;
        private final int shift;

        private Table(int[] lengths, ClassPool[] pools) {
            this.lengths = lengths;
            this.pools = pools;
            this.shift = Integer.numberOfLeadingZeros(lengths.length - 1);
        }

        @Nullable ClassPool find(int length) {
            int[] l = lengths;
            int mask = l.length - 1;
            for (int i = (length * 0x9E3779B9) >>> shift; ; i = (i + 1) & mask) {
                int k = l[i];
                if (k == length) {
                    return k == 0 ? null : pools[i];
                }
                if (k == 0) {
                    return null;
                }
            }
        }

        /** Returns a new table with {@code length} filed too. */
        Table with(int length, ClassPool pool) {
            int n = 0;
            for (int k : lengths) {
                n += k != 0 ? 1 : 0;
            }
            int size = lengths.length;
            while (size < 2 * (n + 1)) {
                size <<= 1;
            }
            // Filled before the constructor runs: a racy reader sees a complete table through the final fields.
            int[] l = new int[size];
            ClassPool[] p = new ClassPool[size];
            int s = Integer.numberOfLeadingZeros(size - 1);
            for (int i = 0; i < lengths.length; i++) {
                ClassPool old = pools[i];
                if (lengths[i] != 0 && old != null) {
                    put(l, p, s, lengths[i], old);
                }
            }
            put(l, p, s, length, pool);
            return new Table(l, p);
        }

        private static void put(int[] l, ClassPool[] p, int shift, int length, ClassPool pool) {
            int mask = l.length - 1;
            int i = (length * 0x9E3779B9) >>> shift;
            while (l[i] != 0) {
                i = (i + 1) & mask;
            }
            l[i] = length;
            p[i] = pool;
        }
    }
}
