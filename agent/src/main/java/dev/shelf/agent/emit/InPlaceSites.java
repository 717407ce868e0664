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

/**
 * Rewrites a class whose pooled-class sites are all straight-line without building any ASM tree: the pairing proof
 * of {@link StraightLinePairing}, done on the code array itself, feeding {@link SitePatcher}.
 *
 * <p>Why: on the application's start-up path, nearly every class the agent changes merely allocates a pooled class,
 * in straight-line code, and most of what rewriting one such class still cost was ASM reading the method into a
 * tree ({@code ClassReader.readCode} with its nodes and labels, in the interpreter: ~0.3 ms of the ~0.45 ms a class
 * took). The patch needs only the offsets of each site's {@code NEW} and {@code <init>} call and the line of the
 * {@code NEW}, all of which the bytes give directly.
 *
 * <p>Same answer as the tree or none: this walks the same instructions in the same order, with the same regions,
 * boundaries (jump targets, exception-range edges, stack map frames), reachability and stack effects as
 * {@link StraightLinePairing}, and hands the sites to {@link SitePatcher}, which checks every one against the bytes
 * again. Whenever the tree might say more — a site it would skip with a warning, a method-scoped class, a type
 * annotation, a site number too big for {@code SIPUSH}, a shape this pass cannot prove — it answers {@code null} and
 * {@link ClassRewriter} takes the tree as before. {@code InPlaceSitesTest} compares the two on the JDK's classes.
 */
public final class InPlaceSites {

    /** The site index of a region opened by {@code ALOAD 0}: its bottom slot is the uninitialised {@code this}. */
    private static final int THIS = -1;
    private static final int CONSTANT_METHODREF = 10;

    private InPlaceSites() {
    }

    /**
     * @param bytes       the class file (not a pooled class, not strict mode)
     * @param reader      a reader of {@code bytes}
     * @param siteMethods the methods with a {@code new} of a pooled class, {@code name+desc} to code offset
     *                    ({@link MethodsWithSites#find})
     * @param decisions   decisions for the classes the sites allocate
     * @param numbers     numbers each rewritten site
     * @return the rewritten class, or {@code null} when the tree rewrite must decide
     */
    static ClassRewriter.Result rewrite(byte[] bytes, ClassReader reader, Map<String, Integer> siteMethods,
                                        Decisions decisions, SiteNumbers numbers) {
        // In class-file order, as the tree rewrite numbers them (an insertion sort: no comparator lambda to link
        // while the application starts, and a class has few such methods).
        String[] methods = siteMethods.keySet().toArray(new String[0]);
        for (int i = 1; i < methods.length; i++) {
            String m = methods[i];
            int j = i;
            for (; j > 0 && siteMethods.get(methods[j - 1]) > siteMethods.get(m); j--) {
                methods[j] = methods[j - 1];
            }
            methods[j] = m;
        }
        char[] buf = new char[reader.getMaxStringLength()];
        String owner = reader.getClassName();
        List<SitePatcher.Site> patches = new ArrayList<>();
        List<ClassRewriter.MethodSites> rewritten = new ArrayList<>();
        for (String method : methods) {
            int code = siteMethods.get(method);
            String name = method.substring(0, method.indexOf('('));
            int[] paired = pair(reader, code, name.equals("<init>"), buf);
            if (paired == null) {
                return null;
            }
            List<SiteRewriter.Rewritten> done = new ArrayList<>();
            for (int k = 0; k < paired.length; k += 4) {
                int newPc = paired[k + 1];
                int initPc = paired[k + 3];
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
                patches.add(new SitePatcher.Site(code, paired[k], paired[k + 2], type, constructorDesc(reader,
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
     * Pairs every {@code NEW} of one method with its {@code <init>} call, as {@link StraightLinePairing#pair} does on
     * the tree.
     *
     * @return per {@code NEW}, in code order: its instruction number and offset, its {@code <init>}'s instruction
     *         number and offset (four ints each); or {@code null} when the pairing cannot be proved this way
     */
    private static int[] pair(ClassReader r, int code, boolean constructor, char[] buf) {
        int codeLength = r.readInt(code - 4);
        int[] pcs = new int[codeLength];
        int[] ordinalAt = new int[codeLength + 1];
        java.util.Arrays.fill(ordinalAt, -1);
        boolean[] boundary = new boolean[codeLength + 1];
        int n = 0;
        for (int pc = 0; pc < codeLength; ) {
            int size = MethodsWithSites.length(r, code, pc);
            if (size == 0 || pc + size > codeLength) {
                return null;
            }
            int op = op(r, code, pc);
            if (op == Opcodes.JSR || op == Opcodes.RET) {
                return null; // subroutines: the data-flow analysis handles them
            }
            if (constructor && op == Opcodes.ASTORE && var(r, code, pc) == 0) {
                return null; // local 0 might not be this
            }
            int[] targets = targets(r, code, pc, op);
            if (targets == null) {
                return null;
            }
            for (int target : targets) {
                if (target < 0 || target >= codeLength) {
                    return null;
                }
                boundary[target] = true;
            }
            ordinalAt[pc] = n;
            pcs[n++] = pc;
            pc += size;
        }
        ordinalAt[codeLength] = n;
        int table = code + codeLength;
        int handlers = r.readUnsignedShort(table);
        for (int h = 0; h < handlers; h++) {
            int entry = table + 2 + 8 * h;
            for (int edge = 0; edge < 3; edge++) { // start, end, handler
                int at = r.readUnsignedShort(entry + 2 * edge);
                if (at > codeLength || ordinalAt[at] < 0) {
                    return null;
                }
                boundary[at] = true;
            }
        }
        if (!attributes(r, table + 2 + 8 * handlers, boundary, ordinalAt, buf)) {
            return null;
        }
        boolean[] reachable = reachable(r, code, pcs, n, ordinalAt, table, handlers);
        if (reachable == null) {
            return null;
        }

        int[] regionSite = new int[8]; // index into the sites, or THIS
        int[] regionBase = new int[8];
        int regions = 0;
        int depth = 0; // stack slots above the outermost open region's bottom
        int[] sites = new int[16]; // four ints per NEW; the <init> half filled in when paired
        int news = 0;
        boolean selfInit = false;
        for (int i = 0; i < n; i++) {
            int pc = pcs[i];
            if (boundary[pc]) {
                if (regions > 0 && regionSite[regions - 1] != THIS) {
                    return null;
                }
                regions = 0; // a this region, if open, is no longer provably this
            }
            if (!reachable[i]) {
                if (regions > 0) {
                    return null;
                }
                continue;
            }
            int op = op(r, code, pc);
            if (op == Opcodes.NEW) {
                if (i + 1 == n || boundary[pcs[i + 1]] || op(r, code, pcs[i + 1]) != Opcodes.DUP) {
                    return null;
                }
                if (regions == 0) {
                    depth = 0;
                }
                if (regions == regionSite.length) {
                    regionSite = java.util.Arrays.copyOf(regionSite, regions * 2);
                    regionBase = java.util.Arrays.copyOf(regionBase, regions * 2);
                }
                if (4 * news == sites.length) {
                    sites = java.util.Arrays.copyOf(sites, sites.length * 2);
                }
                regionSite[regions] = news;
                regionBase[regions] = depth;
                regions++;
                depth += 2;
                sites[4 * news] = i;
                sites[4 * news + 1] = pc;
                sites[4 * news + 2] = -1;
                news++;
                i++; // the DUP
                continue;
            }
            boolean init = op == Opcodes.INVOKESPECIAL && isInit(r, code + pc, buf);
            if (regions == 0) {
                if (constructor && !selfInit && op == Opcodes.ALOAD && var(r, code, pc) == 0) {
                    regionSite[0] = THIS;
                    regionBase[0] = 0;
                    regions = 1;
                    depth = 1;
                } else if (init) {
                    return null; // a receiver this pass did not follow
                }
                continue;
            }
            int inner = regionSite[regions - 1];
            int base = regionBase[regions - 1];
            if (StraightLinePairing.endsStraightLine(op)) {
                if (inner != THIS) {
                    return null;
                }
                regions = 0;
                continue;
            }
            String desc = descriptor(r, code, pc, op, buf);
            int pops = StraightLinePairing.pops(op, desc, op == Opcodes.MULTIANEWARRAY ? r.readByte(code + pc + 3) : 0);
            if (pops < 0) {
                return null; // an instruction this pass does not know
            }
            if (init) {
                if (inner != THIS && depth - pops == base + 1) {
                    sites[4 * inner + 2] = i;
                    sites[4 * inner + 3] = pc;
                } else if (inner == THIS && depth - pops == base && !selfInit) {
                    selfInit = true;
                } else {
                    return null;
                }
                regions--;
                depth -= pops;
                continue;
            }
            if (depth - pops < base + (inner == THIS ? 1 : 2)) {
                if (inner != THIS) {
                    return null; // the argument code reaches the uninitialised references
                }
                regions = 0; // this was popped by something else (a field store): not the receiver
                continue;
            }
            // ldc2_w loads a long, a double or such a dynamic constant
            depth += StraightLinePairing.pushes(op, desc, r.readByte(code + pc) == 0x14 ? 2 : 1) - pops;
        }
        if (regions > 0 && regionSite[regions - 1] != THIS) {
            return null;
        }
        if (constructor && !selfInit) {
            return null; // let the data-flow analysis say what is wrong
        }
        for (int k = 0; k < news; k++) {
            if (sites[4 * k + 2] < 0) {
                return null;
            }
        }
        return java.util.Arrays.copyOf(sites, 4 * news);
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

    /** The local variable of a load or store at {@code pc}. */
    private static int var(ClassReader r, int code, int pc) {
        int op = r.readByte(code + pc);
        if (op >= 26 && op <= 45) {
            return (op - 26) % 4;
        }
        if (op >= 59 && op <= 78) {
            return (op - 59) % 4;
        }
        return op == 0xC4 ? r.readUnsignedShort(code + pc + 2) : r.readByte(code + pc + 1);
    }

    private static final int[] NO_TARGETS = {};

    /** The targets of a jump or switch at {@code pc}, as offsets; none for any other instruction. */
    private static int[] targets(ClassReader r, int code, int pc, int op) {
        if ((op >= Opcodes.IFEQ && op <= Opcodes.JSR) || op == Opcodes.IFNULL || op == Opcodes.IFNONNULL) {
            boolean wide = r.readByte(code + pc) >= 0xC8; // goto_w, jsr_w
            return new int[] {pc + (wide ? r.readInt(code + pc + 1) : r.readShort(code + pc + 1))};
        }
        if (op != Opcodes.TABLESWITCH && op != Opcodes.LOOKUPSWITCH) {
            return NO_TARGETS;
        }
        int q = code + ((pc + 4) & ~3); // default, then low and high or the number of pairs
        boolean table = op == Opcodes.TABLESWITCH;
        int count = table ? r.readInt(q + 8) - r.readInt(q + 4) + 1 : r.readInt(q + 4);
        if (count < 0) {
            return null;
        }
        int[] out = new int[count + 1];
        out[0] = pc + r.readInt(q);
        for (int k = 0; k < count; k++) { // a table's offsets; a lookup's (key, offset) pairs
            out[k + 1] = pc + r.readInt(q + 12 + k * (table ? 4 : 8));
        }
        return out;
    }

    /**
     * Reads the Code attribute's own attributes: the stack map frames' offsets become boundaries (the tree has a
     * frame node there). Type annotations on instructions make this pass give up: the tree handles them.
     */
    private static boolean attributes(ClassReader r, int p, boolean[] boundary, int[] ordinalAt, char[] buf) {
        int count = r.readUnsignedShort(p);
        p += 2;
        for (int k = 0; k < count; k++) {
            String name = r.readUTF8(p, buf);
            int length = r.readInt(p + 2);
            int body = p + 6;
            if (name.equals("RuntimeVisibleTypeAnnotations") || name.equals("RuntimeInvisibleTypeAnnotations")) {
                return false;
            }
            if (name.equals("StackMapTable") && !frames(r, body, boundary, ordinalAt)) {
                return false;
            }
            p = body + length;
        }
        return true;
    }

    private static boolean frames(ClassReader r, int p, boolean[] boundary, int[] ordinalAt) {
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
                p = skipTypes(r, p, 1);
            } else if (type < 247) {
                return false; // reserved
            } else {
                delta = r.readUnsignedShort(p);
                p += 2;
                if (type == 247) {
                    p = skipTypes(r, p, 1);
                } else if (type >= 252 && type <= 254) {
                    p = skipTypes(r, p, type - 251);
                } else if (type == 255) {
                    p = skipTypes(r, p + 2, r.readUnsignedShort(p));
                    p = skipTypes(r, p + 2, r.readUnsignedShort(p));
                }
            }
            offset += delta + 1;
            if (offset >= ordinalAt.length - 1 || ordinalAt[offset] < 0) {
                return false;
            }
            boundary[offset] = true;
        }
        return true;
    }

    /** Skips {@code count} verification_type_info entries (Object and Uninitialized carry two more bytes). */
    private static int skipTypes(ClassReader r, int p, int count) {
        for (int k = 0; k < count; k++) {
            int tag = r.readByte(p);
            p += tag == 7 || tag == 8 ? 3 : 1;
        }
        return p;
    }

    /** Which instructions can run, as {@link StraightLinePairing} finds them; {@code null} on a bad handler. */
    private static boolean[] reachable(ClassReader r, int code, int[] pcs, int n, int[] ordinalAt, int table,
                                       int handlers) {
        boolean[] seen = new boolean[n];
        int[] work = new int[n + 1];
        int top = 0;
        if (n > 0) {
            work[top++] = 0;
        }
        boolean more = true;
        while (more) {
            while (top > 0) {
                int i = work[--top];
                while (i < n && !seen[i]) {
                    seen[i] = true;
                    int pc = pcs[i];
                    int op = op(r, code, pc);
                    for (int target : targets(r, code, pc, op)) { // checked by pair() already
                        int t = ordinalAt[target];
                        if (t < 0) {
                            return null;
                        }
                        if (!seen[t]) {
                            if (top == work.length) {
                                work = java.util.Arrays.copyOf(work, top * 2);
                            }
                            work[top++] = t;
                        }
                    }
                    if (!StraightLinePairing.fallsThrough(op)) {
                        break;
                    }
                    i++;
                }
            }
            more = false;
            for (int h = 0; h < handlers; h++) {
                int entry = table + 2 + 8 * h;
                int handler = ordinalAt[r.readUnsignedShort(entry + 4)];
                if (handler < 0 || handler >= n) {
                    return null;
                }
                if (seen[handler]) {
                    continue;
                }
                int end = ordinalAt[r.readUnsignedShort(entry + 2)];
                for (int i = ordinalAt[r.readUnsignedShort(entry)]; i < end; i++) {
                    if (seen[i]) {
                        if (top == work.length) {
                            work = java.util.Arrays.copyOf(work, top * 2);
                        }
                        work[top++] = handler;
                        more = true;
                        break;
                    }
                }
            }
        }
        return seen;
    }

    /** The descriptor of a field, method or call site instruction's operand; {@code null} for the others. */
    private static String descriptor(ClassReader r, int code, int pc, int op, char[] buf) {
        return op >= Opcodes.GETSTATIC && op <= Opcodes.INVOKEDYNAMIC ? memberDesc(r, code + pc, buf) : null;
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

    /** Whether the {@code INVOKESPECIAL} at {@code insn} calls a constructor. */
    private static boolean isInit(ClassReader r, int insn, char[] buf) {
        int item = r.getItem(r.readUnsignedShort(insn + 1));
        int nameAndType = r.getItem(r.readUnsignedShort(item + 2));
        return "<init>".equals(r.readUTF8(nameAndType, buf));
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
