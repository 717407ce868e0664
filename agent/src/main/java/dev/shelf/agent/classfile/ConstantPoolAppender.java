package dev.shelf.agent.classfile;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Constant-pool entries added at the end of a class file's existing constant pool, for the emit stage's {@code SitePatcher}.
 *
 * <p>Appending keeps every existing index valid, so nothing else in the class file has to change: the new entries
 * get the indices from the old count on, and the class file's {@code constant_pool_count} grows by their number.
 * Only single-slot entries are made (UTF-8, name-and-type, method reference), each once per class.
 */
public final class ConstantPoolAppender {

    private static final int CONSTANT_UTF8 = 1;
    private static final int CONSTANT_METHODREF = 10;
    private static final int CONSTANT_NAME_AND_TYPE = 12;
    /** The largest {@code constant_pool_count} a class file can have (a {@code u2}). */
    private static final int MAX_COUNT = 0xFFFF;

    private final int firstIndex;
    private int count;
    private byte[] bytes = new byte[64];
    private int length;
    private final Map<String, Integer> utf8s = new HashMap<>();
    private final Map<String, Integer> methodrefs = new HashMap<>();

    /** @param count the class file's {@code constant_pool_count}: the index the first appended entry gets */
    public ConstantPoolAppender(int count) {
        this.firstIndex = count;
        this.count = count;
    }

    /**
     * A {@code CONSTANT_Methodref} of a class method, appended unless it was already.
     *
     * @param classIndex index of the owner's {@code CONSTANT_Class} entry in the existing pool
     * @param name       the method's name
     * @param desc       the method's descriptor
     * @return the entry's index, or -1 when the constant pool is full
     */
    public int methodref(int classIndex, String name, String desc) {
        String key = classIndex + "." + name + desc;
        Integer known = methodrefs.get(key);
        if (known != null) {
            return known;
        }
        int nameIndex = utf8(name);
        int descIndex = utf8(desc);
        if (nameIndex < 0 || descIndex < 0 || count + 2 > MAX_COUNT) {
            return -1;
        }
        int nat = count++;
        put(CONSTANT_NAME_AND_TYPE, nameIndex, descIndex);
        int ref = count++;
        put(CONSTANT_METHODREF, classIndex, nat);
        methodrefs.put(key, ref);
        return ref;
    }

    /** Returns the new {@code constant_pool_count}. */
    public int count() {
        return count;
    }

    /** Returns how many bytes the appended entries take. */
    public int length() {
        return length;
    }

    /** Returns whether nothing was appended. */
    boolean isEmpty() {
        return count == firstIndex;
    }

    /** Copies the appended entries into {@code out} at {@code at}. */
    public void copyTo(byte[] out, int at) {
        System.arraycopy(bytes, 0, out, at, length);
    }

    private void put(int tag, int first, int second) {
        ensure(5);
        bytes[length++] = (byte) tag;
        putShort(first);
        putShort(second);
    }

    /** A {@code CONSTANT_Utf8} in the class file's modified UTF-8; -1 when it is too long or the pool is full. */
    private int utf8(String s) {
        Integer known = utf8s.get(s);
        if (known != null) {
            return known;
        }
        int encoded = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            encoded += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
        }
        if (encoded > 0xFFFF || count + 1 > MAX_COUNT) {
            return -1;
        }
        ensure(3 + encoded);
        bytes[length++] = CONSTANT_UTF8;
        putShort(encoded);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 1 && c <= 0x7F) {
                bytes[length++] = (byte) c;
            } else if (c <= 0x7FF) {
                bytes[length++] = (byte) (0xC0 | (c >> 6));
                bytes[length++] = (byte) (0x80 | (c & 0x3F));
            } else {
                bytes[length++] = (byte) (0xE0 | (c >> 12));
                bytes[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                bytes[length++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        int index = count++;
        utf8s.put(s, index);
        return index;
    }

    private void putShort(int v) {
        bytes[length++] = (byte) (v >>> 8);
        bytes[length++] = (byte) v;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
