package dev.shelf.agent.emit;

import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.plan.MethodsWithSites;
import dev.shelf.agent.plan.SiteNumbers;
import dev.shelf.agent.plan.StraightLinePairing;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import java.util.Objects;

/**
 * Rewrites a class whose pooled-class sites are all straight-line without building any ASM tree:
 * {@link StraightLinePairing}'s proof, reading the code array itself ({@link Bytes}), feeding {@link SitePatcher}.
 *
 * <p>Why: on the application's start-up path, nearly every class the agent changes merely allocates a pooled class,
 * in straight-line code, and most of what rewriting one such class still cost was ASM reading the method into a
 * tree ({@code ClassReader.readCode} with its nodes and labels, in the interpreter: ~0.3 ms of the ~0.45 ms a class
 * took). The patch needs only the offsets of each site's {@code NEW} and {@code <init>} call and the line of the
 * {@code NEW}, all of which the bytes give directly.
 *
 * <p>Same answer as the tree or none: the proof is the one the tree rewrite runs, and {@link Bytes} gives it what a
 * tree freshly read from the class file would — the same instructions in the same order, opcodes in the tree's
 * forms, the same jump targets, exception-range edges and stack map frames, the same operands. The sites go to
 * {@link SitePatcher}, which checks every one against the bytes again. Whenever the tree might say more — a site it
 * would skip with a warning, a method-scoped class, a type annotation, a site number too big for {@code SIPUSH}, a
 * shape the proof cannot take — this answers {@code null} and {@link ClassRewriter} takes the tree.
 * {@code InPlaceSitesTest} compares the two on the JDK's classes.
 */
public final class InPlaceSites {

    private static final int CONSTANT_METHODREF = 10;

    private InPlaceSites() {
    }

    /**
     * Rewrites the sites of a class from its bytes alone.
     *
     * @param bytes       the class file (not a pooled class, not strict mode)
     * @param reader      a reader of {@code bytes}
     * @param siteMethods the methods with a {@code new} of a pooled class, {@code name+desc} to code offset
     *                    ({@link MethodsWithSites#find})
     * @param decisions   decisions for the classes the sites allocate
     * @param numbers     numbers each rewritten site
     * @return the rewritten class, or {@code null} when the tree rewrite must decide
     */
    static ClassRewriter.@Nullable Result rewrite(byte[] bytes, ClassReader reader, Map<String, Integer> siteMethods,
                                        Decisions decisions, SiteNumbers numbers) {
        // In class-file order, as the tree rewrite numbers them (an insertion sort: no comparator lambda to link
        // while the application starts, and a class has few such methods).
        String[] methods = siteMethods.keySet().toArray(new String[0]);
        for (int i = 1; i < methods.length; i++) {
            String m = methods[i];
            int j = i;
            // Every name here is a key of siteMethods (requireNonNull only tells NullAway so).
            for (; j > 0 && Objects.requireNonNull(siteMethods.get(methods[j - 1]))
                    > Objects.requireNonNull(siteMethods.get(m)); j--) {
                methods[j] = methods[j - 1];
            }
            methods[j] = m;
        }
        char[] buf = new char[reader.getMaxStringLength()];
        String owner = reader.getClassName();
        List<SitePatcher.Site> patches = new ArrayList<>();
        List<ClassRewriter.MethodSites> rewritten = new ArrayList<>();
        for (String method : methods) {
            int code = Objects.requireNonNull(siteMethods.get(method)); // a key of siteMethods
            String name = method.substring(0, method.indexOf('('));
            Bytes instructions = Bytes.read(reader, code, buf);
            if (instructions == null) {
                return null;
            }
            int[] paired = StraightLinePairing.pair(instructions, name.equals("<init>"));
            if (paired == null) {
                return null;
            }
            List<SiteRewriter.Rewritten> done = new ArrayList<>();
            for (int k = 1; k < paired.length; k += 2) {
                int newPc = instructions.pc(paired[k]);
                int initPc = instructions.pc(paired[k + 1]);
                String type = reader.readClass(code + newPc + 1, buf);
                PoolDecision d = decisions.decide(type);
                if (!d.poolsAllocations()) {
                    continue;
                }
                if ((d instanceof PoolDecision.Accepted a && a.methodScoped()) || !decisions.promise(type)) {
                    return null; // the tree says why this site stays as it is, or scopes it
                }
                int line = lineOf(reader, code, newPc, buf);
                String site = SiteRewriter.siteName(owner, name, line);
                int number = numbers.number(type, site);
                if (number == SiteNumbers.LEAVE) {
                    continue; // turned back into a plain new: its objects never came back
                }
                if (number > Short.MAX_VALUE) {
                    return null;
                }
                patches.add(new SitePatcher.Site(code, paired[k], paired[k + 1], type, constructorDesc(reader,
                        code + initPc, buf), number));
                done.add(new SiteRewriter.Rewritten(type, line, false, site, number));
            }
            if (!done.isEmpty()) {
                rewritten.add(new ClassRewriter.MethodSites(method, done));
            }
        }
        if (patches.isEmpty()) {
            return null;
        }
        int[] numberAt = new int[patches.size()];
        byte[] patched = SitePatcher.patch(bytes, reader, patches, numberAt);
        return patched == null ? null : new ClassRewriter.Result(patched, rewritten, List.of(), numberAt);
    }

    /**
     * One method's code array as {@link StraightLinePairing} reads it: every instruction is a position, in code order.
     */
    private static final class Bytes extends StraightLinePairing.Code {

        private final ClassReader r;
        /** Where the code array starts in the class file. */
        private final int code;
        private final int codeLength;
        private final char[] buf;
        /** Each position's offset in the code array. */
        private final int[] pcs;
        /** Each position's opcode as {@link #op} gives it. */
        private final int[] ops;
        private final int n;
        /** Each offset's position; -1 inside an instruction; {@link #n} at the end of the code. */
        private final int[] ordinalAt;
        /** Where the exception table starts (its length). */
        private final int table;
        /** Where the {@code StackMapTable} attribute's entries start (their number), or -1 without one. */
        private final int stackMap;

        private Bytes(ClassReader r, int code, char[] buf, int[] pcs, int[] ops, int n, int[] ordinalAt,
                      int stackMap) {
            this.r = r;
            this.code = code;
            this.codeLength = ordinalAt.length - 1;
            this.buf = buf;
            this.pcs = pcs;
            this.ops = ops;
            this.n = n;
            this.ordinalAt = ordinalAt;
            this.table = code + codeLength;
            this.stackMap = stackMap;
        }

        /**
         * Decodes the instructions' offsets and finds the code's stack map frames.
         *
         * @param r    the class
         * @param code where the method's code array starts in the class file
         * @param buf  a buffer for strings of the class
         * @return the code, or {@code null} when its bytes are not what this reader expects or its instructions carry
         *         type annotations (the tree handles those)
         */
        static @Nullable Bytes read(ClassReader r, int code, char[] buf) {
            int codeLength = r.readInt(code - 4);
            int[] pcs = new int[codeLength];
            int[] ops = new int[codeLength];
            int[] ordinalAt = new int[codeLength + 1];
            java.util.Arrays.fill(ordinalAt, -1);
            int n = 0;
            for (int pc = 0; pc < codeLength; ) {
                int size = MethodsWithSites.length(r, code, pc);
                if (size == 0 || pc + size > codeLength) {
                    return null;
                }
                ordinalAt[pc] = n;
                ops[n] = op(r, code, pc);
                pcs[n++] = pc;
                pc += size;
            }
            ordinalAt[codeLength] = n;
            int table = code + codeLength;
            int p = table + 2 + 8 * r.readUnsignedShort(table);
            int count = r.readUnsignedShort(p);
            p += 2;
            int stackMap = -1;
            for (int k = 0; k < count; k++) {
                String name = r.readUTF8(p, buf);
                if (name.equals("RuntimeVisibleTypeAnnotations") || name.equals("RuntimeInvisibleTypeAnnotations")) {
                    return null;
                }
                if (name.equals("StackMapTable")) {
                    stackMap = p + 6;
                }
                p += 6 + r.readInt(p + 2);
            }
            return new Bytes(r, code, buf, pcs, ops, n, ordinalAt, stackMap);
        }

        /** Returns the offset of position {@code i} in the code array. */
        int pc(int i) {
            return pcs[i];
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public int op(int i) {
            return ops[i];
        }

        /**
         * The instruction at {@code pc} as ASM's tree has it: {@code xLOAD_n}/{@code xSTORE_n} as {@code xLOAD}/
         * {@code xSTORE}, {@code WIDE} forms as the instruction they widen, {@code LDC_W} and {@code LDC2_W} as
         * {@code LDC}, {@code GOTO_W}/{@code JSR_W} as {@code GOTO}/{@code JSR}.
         */
        private static int op(ClassReader r, int code, int pc) {
            int op = r.readByte(code + pc);
            if (op >= 26 && op <= 45) { // iload_0 ... aload_3
                return Opcodes.ILOAD + (op - 26) / 4;
            }
            if (op >= 59 && op <= 78) { // istore_0 ... astore_3
                return Opcodes.ISTORE + (op - 59) / 4;
            }
            return switch (op) {
                case 0xC4 -> r.readByte(code + pc + 1); // wide
                case 0x13, 0x14 -> Opcodes.LDC; // ldc_w, ldc2_w
                case 0xC8 -> Opcodes.GOTO; // goto_w
                case 0xC9 -> Opcodes.JSR; // jsr_w
                default -> op;
            };
        }

        @Override
        public int var(int i) {
            int pc = pcs[i];
            int op = r.readByte(code + pc);
            if (op >= 26 && op <= 45) {
                return (op - 26) % 4;
            }
            if (op >= 59 && op <= 78) {
                return (op - 59) % 4;
            }
            return op == 0xC4 ? r.readUnsignedShort(code + pc + 2) : r.readByte(code + pc + 1);
        }

        @Override
        public int @Nullable [] targets(int i) {
            int op = ops[i];
            int pc = pcs[i];
            if (op != Opcodes.TABLESWITCH && op != Opcodes.LOOKUPSWITCH) {
                boolean wide = r.readByte(code + pc) >= 0xC8; // goto_w, jsr_w
                int at = position(pc + (wide ? r.readInt(code + pc + 1) : r.readShort(code + pc + 1)));
                return at < 0 ? null : new int[] {at};
            }
            int q = code + ((pc + 4) & ~3); // default, then low and high or the number of pairs
            boolean tableSwitch = op == Opcodes.TABLESWITCH;
            int count = tableSwitch ? r.readInt(q + 8) - r.readInt(q + 4) + 1 : r.readInt(q + 4);
            if (count < 0) {
                return null;
            }
            int[] out = new int[count + 1];
            out[0] = position(pc + r.readInt(q));
            for (int k = 0; k < count; k++) { // a table's offsets; a lookup's (key, offset) pairs
                out[k + 1] = position(pc + r.readInt(q + 12 + k * (tableSwitch ? 4 : 8)));
            }
            for (int at : out) {
                if (at < 0) {
                    return null;
                }
            }
            return out;
        }

        /** The position of the instruction at offset {@code pc}; -1 where none starts. */
        private int position(int pc) {
            return pc >= 0 && pc < codeLength ? ordinalAt[pc] : -1;
        }

        @Override
        public int handlers() {
            return r.readUnsignedShort(table);
        }

        @Override
        public int handlerEdge(int h, int edge) {
            int at = r.readUnsignedShort(table + 2 + 8 * h + 2 * edge);
            return at > codeLength ? -1 : ordinalAt[at];
        }

        @Override
        public boolean markFrames(boolean[] joins) {
            if (stackMap < 0) {
                return true;
            }
            int p = stackMap;
            int entries = r.readUnsignedShort(p);
            p += 2;
            int offset = -1;
            for (int e = 0; e < entries; e++) {
                int type = r.readByte(p++);
                int delta;
                if (type < 64) {
                    delta = type;
                } else if (type < 128) {
                    delta = type - 64;
                    p = skipTypes(p, 1);
                } else if (type < 247) {
                    return false; // reserved
                } else {
                    delta = r.readUnsignedShort(p);
                    p += 2;
                    if (type == 247) {
                        p = skipTypes(p, 1);
                    } else if (type >= 252 && type <= 254) {
                        p = skipTypes(p, type - 251);
                    } else if (type == 255) {
                        p = skipTypes(p + 2, r.readUnsignedShort(p));
                        p = skipTypes(p + 2, r.readUnsignedShort(p));
                    }
                }
                offset += delta + 1;
                int at = position(offset);
                if (at < 0) {
                    return false;
                }
                joins[at] = true;
            }
            return true;
        }

        /** Skips {@code count} verification_type_info entries (Object and Uninitialized carry two more bytes). */
        private int skipTypes(int p, int count) {
            for (int k = 0; k < count; k++) {
                int tag = r.readByte(p);
                p += tag == 7 || tag == 8 ? 3 : 1;
            }
            return p;
        }

        @Override
        public boolean isInit(int i) {
            int item = r.getItem(r.readUnsignedShort(code + pcs[i] + 1));
            int nameAndType = r.getItem(r.readUnsignedShort(item + 2));
            return "<init>".equals(r.readUTF8(nameAndType, buf));
        }

        @Override
        public @Nullable String desc(int i) {
            return memberDesc(r, code + pcs[i], buf);
        }

        @Override
        public int dims(int i) {
            return r.readByte(code + pcs[i] + 3);
        }

        @Override
        public int ldcSize(int i) {
            return r.readByte(code + pcs[i]) == 0x14 ? 2 : 1; // ldc2_w loads a long, a double or such a constant
        }
    }

    /**
     * The descriptor of the field, method or call site the instruction at {@code insn} refers to: its constant is a
     * member reference or an {@code InvokeDynamic}, both with a {@code NameAndType} in their second half.
     */
    private static String memberDesc(ClassReader r, int insn, char[] buf) {
        int item = r.getItem(r.readUnsignedShort(insn + 1));
        int nameAndType = r.getItem(r.readUnsignedShort(item + 2));
        return r.readUTF8(nameAndType + 2, buf);
    }

    private static String constructorDesc(ClassReader r, int insn, char[] buf) {
        int ref = r.readUnsignedShort(insn + 1);
        int item = r.getItem(ref);
        return r.readByte(item - 1) == CONSTANT_METHODREF ? memberDesc(r, insn, buf) : "";
    }

    /**
     * The source line of the instruction at {@code pc}, as the tree gives it (the nearest line-number entry at or
     * before it; of several at one offset, the last): -1 without line numbers.
     */
    private static int lineOf(ClassReader r, int code, int pc, char[] buf) {
        int codeLength = r.readInt(code - 4);
        int table = code + codeLength;
        int p = table + 2 + 8 * r.readUnsignedShort(table);
        int count = r.readUnsignedShort(p);
        p += 2;
        int bestPc = -1;
        int line = -1;
        for (int k = 0; k < count; k++) {
            int length = r.readInt(p + 2);
            if ("LineNumberTable".equals(r.readUTF8(p, buf))) {
                int entries = r.readUnsignedShort(p + 6);
                for (int e = 0; e < entries; e++) {
                    int start = r.readUnsignedShort(p + 8 + 4 * e);
                    if (start <= pc && start >= bestPc) {
                        bestPc = start;
                        line = r.readUnsignedShort(p + 10 + 4 * e);
                    }
                }
            }
            p += 6 + length;
        }
        return line;
    }
}
