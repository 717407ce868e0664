package dev.shelf.agent.classfile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The first and, for almost every class, the only look the transformer takes at a class file: one pass over its
 * constant pool, straight over the bytes.
 *
 * <p>At start-up this code runs in the interpreter once for every class the application loads, so it allocates one
 * small {@code int[]} and no strings: names are compared as bytes, and a {@code String} is made only for the owner of
 * a constructor (or, in strict mode, field) reference outside {@code java/} — the only names the pooling decision has
 * to look up. What it finds:
 * <ul>
 *   <li>which classes the class constructs ({@code Methodref}s to {@code <init>}): a class that constructs no pooled
 *       class has no site to rewrite;</li>
 *   <li>whether it mentions {@code Ldev/shelf/Pooled;} (it is, or allocates with, {@code @Pooled}), and whether it
 *       has type annotations at all (a {@code new @Pooled T()} is one);</li>
 *   <li>whether it mentions {@code loadClass} with a {@code loadClass} descriptor: it may be a class loader that
 *       overrides {@code loadClass} ({@code loaders.LoaderHook});</li>
 *   <li>whether it names a class of the pool runtime ({@code dev/shelf/...}): in a named module it then needs to
 *       read the runtime's module ({@code loaders.ModuleReads}).</li>
 * </ul>
 */
public final class ClassFileScan {

    private static final int UTF8 = 1;
    private static final int CLASS = 7;
    private static final int FIELDREF = 9;
    private static final int METHODREF = 10;

    private static final byte[] POOLED = ascii("Ldev/shelf/Pooled;");
    private static final byte[] LOAD_CLASS = ascii("loadClass");
    private static final byte[] LOAD_CLASS_DESC = ascii("(Ljava/lang/String;Z)Ljava/lang/Class;");
    private static final byte[] LOAD_CLASS_DESC_1 = ascii("(Ljava/lang/String;)Ljava/lang/Class;");
    private static final byte[] INIT = ascii("<init>");
    private static final byte[] RUNTIME_PREFIX = ascii("dev/shelf/");
    /** The name of the attribute Shelf's build-time weaver puts on the classes it rewrote ({@code agent.weave}). */
    private static final byte[] WOVEN = ascii("dev.shelf.Woven");
    private static final byte[] JAVA_PREFIX = ascii("java/");
    private static final byte[] VISIBLE_TYPE_ANNOTATIONS = ascii("RuntimeVisibleTypeAnnotations");
    private static final byte[] INVISIBLE_TYPE_ANNOTATIONS = ascii("RuntimeInvisibleTypeAnnotations");

    private final byte[] b;
    /** Offset of each entry's tag byte, by constant-pool index; 0 for the unused second slot of a long or double. */
    private final int[] entries;
    /**
     * Indices of the method and field references, so that {@link #referencedOwners} — asked of every class — visits
     * only those instead of the whole pool a second time.
     */
    private final int[] refs;
    private int refCount;
    /** Index of the {@code <init>} name, 0 when there is none, -1 when there are several (compare bytes then). */
    private int initName;
    public boolean mentionsPooled;
    /** Whether the class file has type annotations at all: without them no {@code new @Pooled T()} is possible. */
    public boolean hasTypeAnnotations;
    public boolean mayDeclareLoadClass;
    public boolean namesRuntime;
    /**
     * Whether the class was rewritten at build time (its constant pool holds the name of the weaver's marker
     * attribute): the agent then leaves it as it is.
     */
    public boolean woven;

    private ClassFileScan(byte[] b, int count) {
        this.b = b;
        this.entries = new int[count];
        this.refs = new int[count];
    }

    /**
     * Scans a class file's constant pool.
     *
     * @param b a class file
     * @return the scan, or {@code null} when the bytes are not a class file this scan understands (the caller then
     *         takes the full path, which reports the problem)
     */
    public static @Nullable ClassFileScan of(byte[] b) {
        try {
            return scan(b);
        } catch (RuntimeException e) {
            return null; // an index or length pointing outside the bytes
        }
    }

    private static @Nullable ClassFileScan scan(byte[] b) {
        if (b.length < 10 || (b[0] & 0xFF) != 0xCA || (b[1] & 0xFF) != 0xFE) {
            return null;
        }
        int count = u2(b, 8);
        ClassFileScan scan = new ClassFileScan(b, count);
        boolean loadClassName = false;
        boolean loadClassDesc = false;
        int at = 10;
        for (int i = 1; i < count; i++) {
            if (at >= b.length) {
                return null;
            }
            scan.entries[i] = at;
            int tag = b[at];
            switch (tag) {
                case UTF8 -> {
                    // Lengths first, inline: this runs in the interpreter, where a call costs more than the test.
                    int len = ((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF);
                    int start = at + 3;
                    if (len > 0) {
                        byte first = b[start];
                        if (first == 'L') {
                            if (len == POOLED.length && equal(b, start, len, POOLED)) {
                                scan.mentionsPooled = true;
                            }
                        } else if (first == '(') {
                            if ((len == LOAD_CLASS_DESC.length && equal(b, start, len, LOAD_CLASS_DESC))
                                    || (len == LOAD_CLASS_DESC_1.length && equal(b, start, len, LOAD_CLASS_DESC_1))) {
                                loadClassDesc = true;
                            }
                        } else if (first == 'l') {
                            loadClassName |= len == LOAD_CLASS.length && equal(b, start, len, LOAD_CLASS);
                        } else if (first == 'd') {
                            scan.namesRuntime |= len >= RUNTIME_PREFIX.length && startsWith(b, start, len,
                                    RUNTIME_PREFIX);
                            scan.woven |= len == WOVEN.length && equal(b, start, len, WOVEN);
                        } else if (first == '<' && len == INIT.length && equal(b, start, len, INIT)) {
                            scan.initName = scan.initName == 0 ? i : -1;
                        } else if (first == 'R' && len >= VISIBLE_TYPE_ANNOTATIONS.length) {
                            scan.hasTypeAnnotations |= equal(b, start, len, VISIBLE_TYPE_ANNOTATIONS)
                                    || equal(b, start, len, INVISIBLE_TYPE_ANNOTATIONS);
                        }
                    }
                    at = start + len;
                }
                case FIELDREF, METHODREF -> { // no method call: this loop runs in the interpreter at start-up
                    scan.refs[scan.refCount++] = i;
                    at += 5;
                }
                case 3, 4, 11, 12, 17, 18 -> at += 5; // Integer, Float, InterfaceMethodref, NameAndType, (Invoke)Dynamic
                case 5, 6 -> { // Long, Double take two slots
                    at += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> at += 3; // Class, String, MethodType, Module, Package
                case 15 -> at += 4; // MethodHandle
                default -> {
                    return null;
                }
            }
        }
        scan.mayDeclareLoadClass = loadClassName && loadClassDesc;
        return scan;
    }

    /**
     * Classes this class constructs — and, when asked, whose fields it touches — other than {@code java/...} ones.
     *
     * @param fieldOwners whether owners of field references count too (strict mode guards field accesses)
     * @return internal names, in constant-pool order, possibly with repeats; usually empty
     */
    public List<String> referencedOwners(boolean fieldOwners) {
        List<String> out = null;
        for (int r = 0; r < refCount; r++) {
            int at = entries[refs[r]];
            int tag = b[at];
            boolean wanted = (tag == METHODREF && isInit(u2(b, at + 3))) || (tag == FIELDREF && fieldOwners);
            if (!wanted) {
                continue;
            }
            int classEntry = entries[u2(b, at + 1)];
            if (b[classEntry] != CLASS) {
                continue;
            }
            int utf8 = entries[u2(b, classEntry + 1)];
            int len = u2(b, utf8 + 1);
            if (startsWith(b, utf8 + 3, len, JAVA_PREFIX)) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(4);
            }
            out.add(utf8(b, utf8 + 3, len));
        }
        return out == null ? List.of() : out;
    }

    /**
     * Whether the class constructs any class outside the JDK's and Shelf's own packages: the same answer as asking
     * {@link ShelfNames#isPlatformOrShelf} of each of {@link #referencedOwners referencedOwners(false)}, but on the
     * bytes, without a string or a list — it is asked of every class the application loads.
     *
     * @return {@code true} if some constructor call's owner may be an application class
     */
    public boolean constructsOutsidePlatform() {
        for (int r = 0; r < refCount; r++) {
            int at = entries[refs[r]];
            if (b[at] != METHODREF || !isInit(u2(b, at + 3))) {
                continue;
            }
            int classEntry = entries[u2(b, at + 1)];
            if (b[classEntry] != CLASS) {
                continue;
            }
            int utf8 = entries[u2(b, classEntry + 1)];
            if (!platformOrShelf(b, utf8 + 3, u2(b, utf8 + 1))) {
                return true;
            }
        }
        return false;
    }

    private static final byte[][] PLATFORM = {ascii("java/"), ascii("javax/"), ascii("jdk/"), ascii("sun/"),
        ascii("com/sun/"), ascii("["), ascii("dev/shelf/internal/"), ascii("dev/shelf/agent/")};
    private static final byte[] SHELF = ascii("dev/shelf/");

    /** {@link ShelfNames#isPlatformOrShelf} on a name's bytes. */
    private static boolean platformOrShelf(byte[] b, int start, int len) {
        for (byte[] prefix : PLATFORM) {
            if (startsWith(b, start, len, prefix)) {
                return true;
            }
        }
        if (!startsWith(b, start, len, SHELF)) {
            return false;
        }
        for (int j = start + SHELF.length; j < start + len; j++) {
            if (b[j] == '/') {
                return false;
            }
        }
        return true; // dev/shelf/X: the runtime's API
    }

    private boolean isInit(int nameAndTypeIndex) {
        int name = u2(b, entries[nameAndTypeIndex] + 1);
        if (initName >= 0) {
            return name == initName; // 0, no <init> at all, is never a valid index
        }
        int utf8 = entries[name];
        return equal(b, utf8 + 3, u2(b, utf8 + 1), INIT);
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static boolean equal(byte[] b, int start, int len, byte[] what) {
        return len == what.length && startsWith(b, start, len, what);
    }

    private static boolean startsWith(byte[] b, int start, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int j = 0; j < prefix.length; j++) {
            if (b[start + j] != prefix[j]) {
                return false;
            }
        }
        return true;
    }

    /** Decodes the class file's modified UTF-8 (ASCII, the common case, in one step). */
    private static String utf8(byte[] b, int start, int len) {
        boolean ascii = true;
        for (int j = 0; j < len && ascii; j++) {
            ascii = b[start + j] >= 0;
        }
        if (ascii) {
            return new String(b, start, len, StandardCharsets.ISO_8859_1);
        }
        char[] out = new char[len];
        int n = 0;
        for (int j = start, end = start + len; j < end; ) {
            int c = b[j++] & 0xFF;
            if (c < 0x80) {
                out[n++] = (char) c;
            } else if (c < 0xE0) {
                out[n++] = (char) (((c & 0x1F) << 6) | (b[j++] & 0x3F));
            } else {
                out[n++] = (char) (((c & 0x0F) << 12) | ((b[j++] & 0x3F) << 6) | (b[j++] & 0x3F));
            }
        }
        return new String(out, 0, n);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
