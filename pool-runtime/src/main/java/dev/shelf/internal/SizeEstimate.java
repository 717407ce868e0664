package dev.shelf.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
 *       nothing else assigns ({@code final}, or {@code private} and written only by constructors) — the buffers the
 *       agent's re-initialiser keeps instead of reallocating. Found by scanning the original class file's
 *       constructors for {@code <constant>; newarray; ...; putfield} ({@code new byte[16 * 1024]} compiles to exactly
 *       that). 16-byte array header plus length times element width, rounded up to 8.</li>
 * </ul>
 * Owned arrays whose length is computed, and owned containers, are known only from objects: the pool measures what a
 * released object owns ({@code $shelf$ownedBytes()}) on its slow paths, and {@link #withOwned} replaces the class
 * file's figure when the measured one is larger. Not counted: arrays and containers made anew on reuse, and pooled
 * children (those are counted in their own class's row).
 */
final class SizeEstimate {

    /** Below this many bytes an object that owns nothing is small enough that allocating it is likely cheaper. */
    static final int SMALL = 64;

    private static final boolean COMPRESSED = is64Bit() && Runtime.getRuntime().maxMemory() < (32L << 30);
    static final int HEADER = is64Bit() ? (COMPRESSED ? 12 : 16) : 8;
    static final int REFERENCE = is64Bit() && !COMPRESSED ? 8 : 4;
    static final int ARRAY_HEADER = is64Bit() ? 16 : 12;

    private final long shallow;
    private final long ownedArrays;
    private final int ownedArrayFields;
    private final boolean ownsState;
    private final boolean arraysScanned;

    SizeEstimate(long shallow, long ownedArrays, int ownedArrayFields, boolean ownsState, boolean arraysScanned) {
        this.shallow = shallow;
        this.ownedArrays = ownedArrays;
        this.ownedArrayFields = ownedArrayFields;
        this.ownsState = ownsState;
        this.arraysScanned = arraysScanned;
    }

    /**
     * This estimate with the owned storage measured on an object instead of read from the class file.
     *
     * @param owned the owned arrays and containers of a released object, estimated
     * @return the new estimate
     */
    SizeEstimate withOwned(long owned) {
        return new SizeEstimate(shallow, owned, ownedArrayFields, ownsState, arraysScanned);
    }

    /** @return estimated bytes of the object itself */
    long shallow() {
        return shallow;
    }

    /** @return estimated bytes of the constant-length primitive arrays the object owns */
    long ownedArrays() {
        return ownedArrays;
    }

    /** @return how many owned constant-length primitive arrays were found */
    int ownedArrayFields() {
        return ownedArrayFields;
    }

    /** @return shallow plus owned arrays: what one reuse is estimated to save */
    long perObject() {
        return shallow + ownedArrays;
    }

    /**
     * Whether the class has any field through which it may own reusable state: an array, a container
     * ({@code Collection}, {@code Map}, {@code StringBuilder}/{@code StringBuffer}, {@code BitSet}), or a
     * {@code @Pooled} child. A small object without any is the case where plain allocation likely wins.
     *
     * @return {@code true} when such a field exists
     */
    boolean ownsState() {
        return ownsState;
    }

    /** @return whether the class files could be read to look for owned arrays (if not, they count 0) */
    boolean arraysScanned() {
        return arraysScanned;
    }

    /** @return whether this looks like a class that is cheaper to allocate than to pool */
    boolean small() {
        return shallow < SMALL && !ownsState;
    }

    /**
     * Estimates one object of {@code type}. Never throws: what cannot be read counts 0 and is flagged.
     *
     * @param type a pooled class
     * @return the estimate
     */
    static SizeEstimate of(Class<?> type) {
        long fields = 0;
        boolean owns = false;
        long arrays = 0;
        int arrayFields = 0;
        boolean scanned = true;
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
                scanned = false; // a field type that cannot be resolved: count what we have
            }
            Map<String, Long> owned = scanned ? ownedConstantArrays(c) : null;
            if (owned == null) {
                scanned = false;
            } else {
                for (long bytes : owned.values()) {
                    arrays += bytes;
                    arrayFields++;
                }
            }
        }
        return new SizeEstimate(align(HEADER + fields), arrays, arrayFields, owns, scanned);
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
     * storage ({@link Reuse#retainedBytes}), nothing for {@code null}.
     *
     * @param value an owned field's value
     * @return estimated bytes
     */
    static long ownedBytes(Object value) {
        if (value == null) {
            return 0;
        }
        Class<?> t = value.getClass();
        if (t.isArray()) {
            return arrayBytes(t.getComponentType().isPrimitive() ? width(t.getComponentType()) : REFERENCE,
                    java.lang.reflect.Array.getLength(value));
        }
        return Reuse.retainedBytes(value);
    }

    /** @return estimated bytes of a primitive array of {@code length} elements of {@code width} bytes */
    static long arrayBytes(int width, long length) {
        return align(ARRAY_HEADER + width * length);
    }

    static long align(long bytes) {
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

    /**
     * The owned constant-length primitive arrays of one class, from its class file.
     *
     * @return field name to estimated array bytes; {@code null} when the class file cannot be read or parsed
     */
    static Map<String, Long> ownedConstantArrays(Class<?> c) {
        String resource = "/" + c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getResourceAsStream(resource)) {
            return in == null ? null : ownedConstantArrays(in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // ---- a minimal class-file reader: constant pool, field flags, and the bytecode of each method ----------------

    private static final int ACC_PRIVATE = 0x0002;
    private static final int ACC_STATIC = 0x0008;
    private static final int ACC_FINAL = 0x0010;

    /**
     * Scans a class file for {@code <int constant>; newarray T; ... putfield this.f:[T} in constructors, keeping the
     * fields that are owned: {@code final}, or {@code private} and assigned by no method other than a constructor.
     *
     * @param classFile the class file's bytes
     * @return field name to estimated array bytes (the largest if constructors differ)
     * @throws IOException when the bytes are not a class file this reader understands
     */
    static Map<String, Long> ownedConstantArrays(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        int[] tags = new int[count];
        int[] ints = new int[count];      // Integer value; or first index (class name, ref class, nat name)
        int[] seconds = new int[count];   // second index (ref nat, nat descriptor)
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3 -> ints[i] = in.readInt();
                case 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7, 8, 16, 19, 20 -> ints[i] = in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> {
                    ints[i] = in.readUnsignedShort();
                    seconds[i] = in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        in.readUnsignedShort(); // access
        String thisClass = utf8[ints[in.readUnsignedShort()]];
        in.readUnsignedShort(); // super
        skip(in, 2L * in.readUnsignedShort()); // interfaces

        Map<String, Integer> fieldFlags = new HashMap<>();
        int fieldCount = in.readUnsignedShort();
        for (int i = 0; i < fieldCount; i++) {
            int access = in.readUnsignedShort();
            String name = utf8[in.readUnsignedShort()];
            in.readUnsignedShort(); // descriptor
            skipAttributes(in);
            if ((access & ACC_STATIC) == 0) {
                fieldFlags.put(name, access);
            }
        }

        Map<String, Long> arrays = new HashMap<>();
        Set<String> writtenOutsideConstructors = new HashSet<>();
        int methodCount = in.readUnsignedShort();
        for (int m = 0; m < methodCount; m++) {
            in.readUnsignedShort(); // access
            boolean constructor = "<init>".equals(utf8[in.readUnsignedShort()]);
            in.readUnsignedShort(); // descriptor
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String attribute = utf8[in.readUnsignedShort()];
                int length = in.readInt();
                if (!"Code".equals(attribute)) {
                    skip(in, length);
                    continue;
                }
                byte[] body = new byte[length];
                in.readFully(body);
                DataInputStream code = new DataInputStream(new ByteArrayInputStream(body));
                code.readUnsignedShort();
                code.readUnsignedShort();
                byte[] bytecode = new byte[code.readInt()];
                code.readFully(bytecode);
                scan(bytecode, constructor, thisClass, tags, ints, seconds, utf8, arrays, writtenOutsideConstructors);
            }
        }
        arrays.keySet().removeIf(f -> {
            Integer access = fieldFlags.get(f);
            return access == null || ((access & ACC_FINAL) == 0
                    && ((access & ACC_PRIVATE) == 0 || writtenOutsideConstructors.contains(f)));
        });
        return arrays;
    }

    private static void scan(byte[] code, boolean constructor, String thisClass, int[] tags, int[] ints,
                             int[] seconds, String[] utf8, Map<String, Long> arrays, Set<String> writtenOutside) {
        long constant = -1;        // the int pushed by the previous instruction, if it was a constant
        String pendingDescriptor = null;
        long pendingBytes = 0;
        int pc = 0;
        while (pc < code.length) {
            int op = code[pc] & 0xFF;
            long pushed = -1;
            if (op >= 0x02 && op <= 0x08) {                              // iconst_m1 .. iconst_5
                pushed = op - 0x03;
            } else if (op == 0x10) {                                     // bipush
                pushed = code[pc + 1];
            } else if (op == 0x11) {                                     // sipush
                pushed = (short) (((code[pc + 1] & 0xFF) << 8) | (code[pc + 2] & 0xFF));
            } else if (op == 0x12 || op == 0x13) {                      // ldc, ldc_w
                int index = op == 0x12 ? code[pc + 1] & 0xFF : u2(code, pc + 1);
                if (tags[index] == 3) {
                    pushed = ints[index];
                }
            } else if (op == 0xBC) {                                     // newarray
                int width = newarrayWidth(code[pc + 1] & 0xFF);
                if (constant >= 0 && width > 0) {
                    pendingDescriptor = "[" + newarrayDescriptor(code[pc + 1] & 0xFF);
                    pendingBytes = arrayBytes(width, constant);
                } else {
                    pendingDescriptor = null;
                }
            } else if (op == 0xBD || op == 0xC5) {                      // anewarray, multianewarray
                pendingDescriptor = null;
            } else if (op == 0xB5) {                                     // putfield
                int ref = u2(code, pc + 1);
                String owner = utf8[ints[ints[ref]]];
                int nat = seconds[ref];
                String name = utf8[ints[nat]];
                String descriptor = utf8[seconds[nat]];
                if (owner.equals(thisClass)) {
                    if (!constructor) {
                        writtenOutside.add(name);
                    } else if (descriptor.equals(pendingDescriptor)) {
                        arrays.merge(name, pendingBytes, Math::max);
                        pendingDescriptor = null;
                    }
                }
            }
            constant = pushed;
            pc += length(code, pc);
        }
    }

    private static int u2(byte[] code, int at) {
        return ((code[at] & 0xFF) << 8) | (code[at + 1] & 0xFF);
    }

    private static int s4(byte[] code, int at) {
        return ((code[at] & 0xFF) << 24) | ((code[at + 1] & 0xFF) << 16) | ((code[at + 2] & 0xFF) << 8)
                | (code[at + 3] & 0xFF);
    }

    /** @return the length of the instruction at {@code pc}, operands included (JVMS chapter 6) */
    private static int length(byte[] code, int pc) {
        int op = code[pc] & 0xFF;
        if (op == 0xAA || op == 0xAB) {                                   // tableswitch, lookupswitch
            int at = (pc + 4) & ~3;                                      // skip padding to a multiple of 4
            if (op == 0xAA) {
                int low = s4(code, at + 4);
                int high = s4(code, at + 8);
                return at + 12 + 4 * (high - low + 1) - pc;
            }
            return at + 8 + 8 * s4(code, at + 4) - pc;
        }
        if (op == 0xC4) {                                                // wide
            return (code[pc + 1] & 0xFF) == 0x84 ? 6 : 4;
        }
        if (op == 0x10 || op == 0x12 || (op >= 0x15 && op <= 0x19) || (op >= 0x36 && op <= 0x3A) || op == 0xA9
                || op == 0xBC) {
            return 2;
        }
        if (op == 0x11 || op == 0x13 || op == 0x14 || op == 0x84 || (op >= 0x99 && op <= 0xA8)
                || (op >= 0xB2 && op <= 0xB8) || op == 0xBB || op == 0xBD || op == 0xC0 || op == 0xC1
                || op == 0xC6 || op == 0xC7) {
            return 3;
        }
        if (op == 0xC5) {
            return 4;
        }
        if (op == 0xB9 || op == 0xBA || op == 0xC8 || op == 0xC9) {
            return 5;
        }
        return 1;
    }

    private static int newarrayWidth(int atype) {
        return switch (atype) {
            case 4, 8 -> 1;   // boolean, byte
            case 5, 9 -> 2;   // char, short
            case 6, 10 -> 4;  // float, int
            case 7, 11 -> 8;  // double, long
            default -> 0;
        };
    }

    private static char newarrayDescriptor(int atype) {
        return "ZCFDBSIJ".charAt(atype - 4);
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int n = in.readUnsignedShort();
        for (int i = 0; i < n; i++) {
            in.readUnsignedShort();
            skip(in, in.readInt() & 0xFFFFFFFFL);
        }
    }

    private static void skip(DataInputStream in, long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                throw new IOException("truncated class file");
            }
            n -= skipped;
        }
    }
}
