package dev.shelf.internal.pool;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.BitSet;
import java.util.Collection;
import java.util.Map;

/**
 * An <em>estimate</em> of how many bytes one object of a pooled class costs to allocate, and so how many bytes a
 * reuse saves. It is arithmetic on the class's declared shape, not a measurement, and says so wherever it is shown.
 *
 * <p><b>Why an estimate.</b> Measuring needs an object: {@code Instrumentation.getObjectSize} or a thread's allocated
 * bytes around a constructor call. Shelf has no object to spare at the moment a pool is registered (the class is
 * still in its static initialiser) or at exit, and it must not call a constructor just to weigh it: constructors
 * have side effects. So the estimate is computed from what is known without one:
 * <ul>
 *   <li><b>Shallow size</b>: HotSpot's layout arithmetic over the instance fields of the class and its superclasses —
 *       a 12-byte header (16 without compressed class pointers), 4-byte references under compressed oops (assumed
 *       below a 32 GiB heap, 8 bytes above), primitives at their width, rounded up to 8 bytes. Field packing into
 *       gaps is ignored, so this is at most a few bytes off; compact object headers (JDK 24+,
 *       {@code -XX:+UseCompactObjectHeaders}) make real objects 4 bytes smaller than estimated.</li>
 *   <li><b>Owned arrays</b>: primitive arrays of <em>constant</em> length that a constructor allocates into a field
 *       the re-initialiser keeps ({@code new byte[16 * 1024]}), as the agent found them when it generated the class's
 *       members and passed them to {@link dev.shelf.internal.ShelfRegistry#register(Class, int, int, String)}: the
 *       runtime reads no class files. 16-byte array header plus length times element width, rounded up to 8. A
 *       pooled superclass counts through its own registration; an abstract one has none, so its arrays count only
 *       once measured (below).</li>
 * </ul>
 * Owned arrays whose length is computed, and owned containers, are known only from objects: the pool measures what a
 * released object owns ({@code $shelf$ownedBytes()}) on its slow paths, and {@link #withOwned} replaces the class
 * file's figure when the measured one is larger. Not counted: arrays and containers made anew on reuse, and pooled
 * children (those are counted in their own class's row).
 */
public final class SizeEstimate {

    /** Below this many bytes an object that owns nothing is small enough that allocating it is likely cheaper. */
    public static final int SMALL = 64;

    private static final boolean COMPRESSED = is64Bit() && Runtime.getRuntime().maxMemory() < (32L << 30);
    public static final int HEADER = is64Bit() ? (COMPRESSED ? 12 : 16) : 8;
    public static final int REFERENCE = is64Bit() && !COMPRESSED ? 8 : 4;
    static final int ARRAY_HEADER = is64Bit() ? 16 : 12;

    private final long shallow;
    private final long ownedArrays;
    private final int ownedArrayFields;
    private final boolean ownsState;

    public SizeEstimate(long shallow, long ownedArrays, int ownedArrayFields, boolean ownsState) {
        this.shallow = shallow;
        this.ownedArrays = ownedArrays;
        this.ownedArrayFields = ownedArrayFields;
        this.ownsState = ownsState;
    }

    /**
     * This estimate with the owned storage measured on an object instead of as the agent declared it.
     *
     * @param owned the owned arrays and containers of a released object, estimated
     * @return the new estimate
     */
    SizeEstimate withOwned(long owned) {
        return new SizeEstimate(shallow, owned, ownedArrayFields, ownsState);
    }

    /** Returns estimated bytes of the object itself. */
    public long shallow() {
        return shallow;
    }

    /** Returns estimated bytes of the constant-length primitive arrays the object owns. */
    public long ownedArrays() {
        return ownedArrays;
    }

    /** Returns how many owned constant-length primitive arrays were found. */
    public int ownedArrayFields() {
        return ownedArrayFields;
    }

    /** Returns shallow plus owned arrays: what one reuse is estimated to save. */
    public long perObject() {
        return shallow + ownedArrays;
    }

    /**
     * Whether the class has any field through which it may own reusable state: an array, a container
     * ({@code Collection}, {@code Map}, {@code StringBuilder}/{@code StringBuffer}, {@code BitSet}), or a
     * {@code @Pooled} child. A small object without any is the case where plain allocation likely wins.
     *
     * @return {@code true} when such a field exists
     */
    public boolean ownsState() {
        return ownsState;
    }

    /** Returns whether this looks like a class that is cheaper to allocate than to pool. */
    public boolean small() {
        return shallow < SMALL && !ownsState;
    }

    /**
     * Estimates one object of {@code type}. Never throws: a field type that cannot be resolved stops the count there.
     *
     * @param type a pooled class
     * @return the estimate
     */
    static SizeEstimate of(Class<?> type) {
        long fields = 0;
        boolean owns = false;
        long arrays = 0;
        int arrayFields = 0;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    fields += width(f.getType());
                    owns |= mayOwn(f.getType());
                }
            } catch (RuntimeException | LinkageError e) {
                // a field type that cannot be resolved: count what we have
            }
            ClassPool pool = Pools.of(c);
            if (pool != null) {
                arrays += pool.keptArrayBytes();
                arrayFields += pool.keptArrays();
            }
        }
        return new SizeEstimate(align(HEADER + fields), arrays, arrayFields, owns);
    }

    /**
     * The shell of one object: header and declared instance fields of the class and its superclasses, aligned.
     * Never throws: a field type that cannot be resolved stops the count there.
     *
     * @param type a class
     * @return estimated bytes
     */
    static long shallowOf(Class<?> type) {
        long fields = 0;
        try {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        fields += width(f.getType());
                    }
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // count what we have
        }
        return align(HEADER + fields);
    }

    /**
     * What an owned value keeps while its object is idle: an array's bytes at its length, a container's estimated
     * storage ({@link #retainedBytes}), nothing for {@code null}.
     *
     * @param value an owned field's value
     * @return estimated bytes
     */
    public static long ownedBytes(Object value) {
        if (value == null) {
            return 0;
        }
        Class<?> t = value.getClass();
        if (t.isArray()) {
            return arrayBytes(t.getComponentType().isPrimitive() ? width(t.getComponentType()) : REFERENCE,
                    java.lang.reflect.Array.getLength(value));
        }
        return retainedBytes(value);
    }

    /**
     * An estimate of the backing storage an owned container keeps once emptied: what its capacity is where the JDK
     * says ({@code StringBuilder}, {@code StringBuffer}, {@code BitSet}), else what its size now implies (array-backed
     * collections and hash tables never shrink below what their largest size needed). Nodes of linked structures
     * and entries of maps go when they are emptied, so only their tables count. Compressed references assumed.
     *
     * @param o a container
     * @return estimated bytes
     */
    public static long retainedBytes(Object o) {
        if (o instanceof StringBuilder sb) {
            return 16L + 2L * sb.capacity(); // two bytes per char at most (Latin-1 strings take one)
        } else if (o instanceof StringBuffer sb) {
            return 16L + 2L * sb.capacity();
        } else if (o instanceof BitSet b) {
            return 16L + b.size() / 8;
        } else if (o instanceof java.util.LinkedList<?> || o instanceof java.util.TreeMap<?, ?>
                || o instanceof java.util.TreeSet<?>) {
            return 0;
        } else if (o instanceof Map<?, ?> m) {
            return 16L + 4L * 2 * m.size(); // a table of at least size / 0.75, in powers of two
        } else if (o instanceof java.util.HashSet<?> h) {
            return 16L + 4L * 2 * h.size();
        } else if (o instanceof Collection<?> c) {
            return 16L + 4L * c.size();
        }
        return 0;
    }

    /** Returns estimated bytes of a primitive array of {@code length} elements of {@code width} bytes. */
    static long arrayBytes(int width, long length) {
        return align(ARRAY_HEADER + width * length);
    }

    public static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    private static int width(Class<?> t) {
        if (t == long.class || t == double.class) {
            return 8;
        }
        if (t == int.class || t == float.class) {
            return 4;
        }
        if (t == short.class || t == char.class) {
            return 2;
        }
        if (t == byte.class || t == boolean.class) {
            return 1;
        }
        return REFERENCE;
    }

    private static boolean mayOwn(Class<?> t) {
        if (t.isArray() || Collection.class.isAssignableFrom(t) || Map.class.isAssignableFrom(t)
                || t == StringBuilder.class || t == StringBuffer.class || t == BitSet.class) {
            return true;
        }
        for (java.lang.annotation.Annotation a : t.getDeclaredAnnotations()) {
            if (a.annotationType().getName().equals("dev.shelf.Pooled")) {
                return true;
            }
        }
        return false;
    }

    private static boolean is64Bit() {
        return !"32".equals(System.getProperty("sun.arch.data.model"));
    }
}
