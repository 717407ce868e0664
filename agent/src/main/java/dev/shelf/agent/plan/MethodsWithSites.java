package dev.shelf.agent.plan;

import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.emit.ClassRewriter;

import org.jspecify.annotations.Nullable;
import org.objectweb.asm.ClassReader;

import java.util.HashMap;
import java.util.Map;

/**
 * Finds, straight from a class file's bytes, the methods whose code has a {@code new} of a pooled class — so that
 * {@link ClassRewriter} builds trees only for those and lets every other method stream through as bytes.
 *
 * <p>Why: parsing a method into an ASM tree allocates a node per instruction and label. In a class that allocates a
 * pooled class, usually one method of several does; walking the others' opcodes (no objects, no strings) is far
 * cheaper than building and dropping their trees. The walk decodes every instruction's length, so it never mistakes
 * an operand byte for a {@code NEW}; anything it does not recognise makes it answer {@code null}: parse everything.
 */
public final class MethodsWithSites {

    private static final int NEW = 0xBB;
    private static final int CONSTANT_CLASS = 7;
    private static final int CONSTANT_UTF8 = 1;

    private MethodsWithSites() {
    }

    /**
     * Finds the methods that allocate a pooled class, from the bytes alone.
     *
     * @param reader    the class
     * @param decisions which classes are pooled
     * @return {@code name + descriptor} of every method whose code has a {@code NEW} of a class whose allocations
     *         are pooled, mapped to where that code starts in the class file (the first byte of the {@code Code}
     *         attribute's {@code code} array, its length in the four bytes before); or {@code null} when every
     *         method must be parsed: the class may carry {@code new @Pooled T()} or {@code new @Pooled byte[n]}
     *         type annotations (which pool sites of classes not pooled themselves, and arrays), or its bytes are not
     *         what this walk expects
     */
    public static @Nullable Map<String, Integer> find(ClassReader reader, Decisions decisions) {
        char[] buf = new char[reader.getMaxStringLength()];
        int items = reader.getItemCount();
        for (int i = 1; i < items; i++) {
            int at = reader.getItem(i);
            if (at > 0 && reader.readByte(at - 1) == CONSTANT_UTF8 && isPooledDescriptor(reader, at)) {
                return null;
            }
        }
        byte[] verdicts = new byte[items]; // per constant-pool index: 0 not asked yet, 1 not pooled, 2 pooled
        Map<String, Integer> found = new HashMap<>();
        int p = reader.header + 6;
        p += 2 + 2 * reader.readUnsignedShort(p); // interfaces
        int fields = reader.readUnsignedShort(p);
        p += 2;
        for (int f = 0; f < fields; f++) {
            p = skipAttributes(reader, p + 6);
        }
        int methods = reader.readUnsignedShort(p);
        p += 2;
        for (int m = 0; m < methods; m++) {
            int attributes = reader.readUnsignedShort(p + 6);
            int a = p + 8;
            for (int k = 0; k < attributes; k++) {
                int length = reader.readInt(a + 2);
                if ("Code".equals(reader.readUTF8(a, buf))) {
                    int codeLength = reader.readInt(a + 10);
                    int verdict = hasPooledNew(reader, a + 14, codeLength, verdicts, decisions, buf);
                    if (verdict < 0) {
                        return null;
                    }
                    if (verdict > 0) {
                        found.put(reader.readUTF8(p + 2, buf) + reader.readUTF8(p + 4, buf), a + 14);
                    }
                }
                a += 6 + length;
            }
            p = a;
        }
        return found;
    }

    /** Whether the CONSTANT_Utf8 entry at {@code at} (its length) is {@code Ldev/shelf/Pooled;} (plain ASCII). */
    private static boolean isPooledDescriptor(ClassReader reader, int at) {
        String desc = ShelfNames.POOLED_DESC;
        if (reader.readUnsignedShort(at) != desc.length()) {
            return false;
        }
        for (int c = 0; c < desc.length(); c++) {
            if (reader.readByte(at + 2 + c) != desc.charAt(c)) {
                return false;
            }
        }
        return true;
    }

    private static int skipAttributes(ClassReader reader, int p) {
        int attributes = reader.readUnsignedShort(p);
        p += 2;
        for (int k = 0; k < attributes; k++) {
            p += 6 + reader.readInt(p + 2);
        }
        return p;
    }

    /** Returns 1 when the code has a NEW of a pooled class, 0 when not, -1 when an opcode is not understood. */
    private static int hasPooledNew(ClassReader reader, int code, int length, byte[] verdicts, Decisions decisions,
                                    char[] buf) {
        int pc = 0;
        while (pc < length) {
            int op = reader.readByte(code + pc);
            if (op == NEW) {
                int index = reader.readUnsignedShort(code + pc + 1);
                if (index <= 0 || index >= verdicts.length) {
                    return -1;
                }
                if (verdicts[index] == 0) {
                    int item = reader.getItem(index);
                    if (reader.readByte(item - 1) != CONSTANT_CLASS) {
                        return -1;
                    }
                    verdicts[index] = (byte) (decisions.decide(reader.readUTF8(item, buf)).poolsAllocations() ? 2 : 1);
                }
                if (verdicts[index] == 2) {
                    return 1;
                }
            }
            int size = length(reader, code, pc);
            if (size == 0) {
                return -1;
            }
            pc += size;
        }
        return 0;
    }

    /**
     * The length of one instruction, operands and switch padding included.
     *
     * @param reader the class
     * @param code   where the method's code array starts in the class file
     * @param pc     the instruction's offset in the code array
     * @return its length in bytes, or 0 for an opcode that no class file may contain
     */
    public static int length(ClassReader reader, int code, int pc) {
        int op = reader.readByte(code + pc);
        int size = LENGTHS[op];
        if (size != 0) {
            return size;
        }
        if (op == 0xAA) { // tableswitch: padding, default, low, high, offsets
            int q = code + ((pc + 4) & ~3);
            return (q - code - pc) + 12 + 4 * (reader.readInt(q + 8) - reader.readInt(q + 4) + 1);
        }
        if (op == 0xAB) { // lookupswitch: padding, default, npairs, pairs
            int q = code + ((pc + 4) & ~3);
            return (q - code - pc) + 8 + 8 * reader.readInt(q + 4);
        }
        if (op == 0xC4) { // wide: iinc has two more operand bytes
            return reader.readByte(code + pc + 1) == 0x84 ? 6 : 4;
        }
        return 0;
    }

    /** Instruction length by opcode, operands included; 0 for the variable-length ones and unknown opcodes. */
    private static final byte[] LENGTHS = new byte[256];

    static {
        fill(0x00, 0xC3, 1); // most instructions have no operands; the rest are set below
        fill(0x10, 0x10, 2); // bipush
        fill(0x11, 0x11, 3); // sipush
        fill(0x12, 0x12, 2); // ldc
        fill(0x13, 0x14, 3); // ldc_w, ldc2_w
        fill(0x15, 0x19, 2); // xload
        fill(0x36, 0x3A, 2); // xstore
        fill(0x84, 0x84, 3); // iinc
        fill(0x99, 0xA8, 3); // if*, goto, jsr
        fill(0xA9, 0xA9, 2); // ret
        fill(0xAA, 0xAB, 0); // tableswitch, lookupswitch
        fill(0xB2, 0xB8, 3); // field access, invokevirtual, invokespecial, invokestatic
        fill(0xB9, 0xBA, 5); // invokeinterface, invokedynamic
        fill(0xBB, 0xBB, 3); // new
        fill(0xBC, 0xBC, 2); // newarray
        fill(0xBD, 0xBD, 3); // anewarray
        fill(0xC0, 0xC1, 3); // checkcast, instanceof
        fill(0xC4, 0xC4, 0); // wide
        fill(0xC5, 0xC5, 4); // multianewarray
        fill(0xC6, 0xC7, 3); // ifnull, ifnonnull
        fill(0xC8, 0xC9, 5); // goto_w, jsr_w
    }

    private static void fill(int from, int to, int length) {
        for (int op = from; op <= to; op++) {
            LENGTHS[op] = (byte) length;
        }
    }
}
