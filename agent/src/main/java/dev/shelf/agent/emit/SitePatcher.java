package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.ConstantPoolAppender;
import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.plan.AllocationPairing;
import dev.shelf.agent.plan.MethodsWithSites;
import dev.shelf.agent.plan.StraightLinePairing;

import org.jspecify.annotations.Nullable;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;

import java.util.List;

/**
 * Rewrites straight-line allocation sites in place, in the class file's bytes, instead of writing the class anew
 * with ASM's {@code ClassWriter}.
 *
 * <p>Why: on the application's start-up path, nearly every class the agent changes merely allocates a pooled class,
 * in straight-line code, and the writer was the largest part of that change — its classes run in the interpreter,
 * it copies the whole constant pool into its symbol table and re-encodes every changed method. But with the
 * factory taking the site first ({@code T.$shelf$new(int site, args...)}), a site changes without any instruction
 * moving:
 *
 * <pre>
 *   NEW T                     (3 bytes)   becomes   SIPUSH site            (3 bytes)
 *   DUP                       (1 byte)              NOP                    (1 byte)
 *   ...arguments...                                 ...arguments...
 *   INVOKESPECIAL T.&lt;init&gt;(A)V (3 bytes)          INVOKESTATIC T.$shelf$new(IA)LT; (3 bytes)
 * </pre>
 *
 * Since no offset moves, the stack map frames, exception tables and line and local-variable tables stay right byte
 * for byte: the sites are those {@link StraightLinePairing} proved, so no frame lies inside one (no frame mentions
 * the uninitialised object), and after the site the stack holds a {@code T} as before. {@code max_stack} stays an
 * upper bound (one {@code int} instead of two references under the arguments). The only other change is the
 * factory's method reference, appended to the constant pool ({@link ConstantPoolAppender}; the owner's existing
 * {@code CONSTANT_Class} entry is reused). This is exactly what {@link SiteRewriter} does to the tree (there the
 * push replaces the {@code NEW} and the {@code DUP} goes), minus the {@code NOP}.
 *
 * <p>{@link ClassRewriter} decides when this applies: a class that is not pooled itself, outside strict mode, whose
 * rewritten sites were all paired straight-line and none is method-scoped. The offsets come from the tree: the
 * k-th instruction of ASM's tree (counting real instructions only) is the k-th instruction of the code array, since
 * ASM reads every instruction as exactly one node ({@code LDC_W} as {@code LDC}, {@code GOTO_W} as {@code GOTO}, ...).
 * Every offset found that way is checked against the bytes ({@code NEW} of the owner, {@code DUP} right after it,
 * {@code INVOKESPECIAL} of the owner's constructor with the expected descriptor); on any surprise the patcher
 * answers {@code null} and the class goes through the writer as before.
 */
public final class SitePatcher {

    private static final int SIPUSH = 0x11;
    private static final int DUP = 0x59;
    private static final int NEW = 0xBB;
    private static final int INVOKESPECIAL = 0xB7;
    private static final int INVOKESTATIC = 0xB8;
    private static final int CONSTANT_METHODREF = 10;
    /** Byte offset of {@code constant_pool_count} in a class file. */
    private static final int COUNT_AT = 8;

    /**
     * One rewritten site, located by instruction number in its method.
     *
     * @param code     where the method's code array starts in the class file ({@link MethodsWithSites#find})
     * @param newInsn  number of the {@code NEW} among the method's instructions
     * @param init     number of the {@code INVOKESPECIAL T.<init>}
     * @param owner    internal name of the pooled class
     * @param ctorDesc the constructor's descriptor
     * @param number   the site's number, pushed as the factory's first argument
     */
    record Site(int code, int newInsn, int init, String owner, String ctorDesc, int number) {
    }

    private SitePatcher() {
    }

    /**
     * Locates the sites {@link SiteRewriter} rewrote in one method's tree, for {@link #patch}.
     *
     * @param before the method's instructions before the rewrite ({@code InsnList.toArray()})
     * @param code   where the method's code array starts in the class file
     * @param result what the rewrite did
     * @param out    receives one {@link Site} per rewritten site
     * @return {@code false} when some site cannot be patched in place: it is method-scoped, its number does not fit
     *         {@code SIPUSH}, or a type annotation sits on its {@code NEW} or constructor call (the tree rewrite drops
     *         the {@code NEW}'s; in place it would stay, on the {@code SIPUSH})
     */
    static boolean locate(AbstractInsnNode[] before, int code, SiteRewriter.MethodResult result, List<Site> out) {
        List<SiteRewriter.Rewritten> sites = result.sites();
        List<AllocationPairing.Site> paired = result.paired();
        if (paired.size() != sites.size()) {
            return false; // array sites: their calls do not fit in place
        }
        int[] newAt = new int[sites.size()];
        int[] initAt = new int[sites.size()];
        for (int k = 0; k < sites.size(); k++) {
            TypeInsnNode n = paired.get(k).newInsn();
            MethodInsnNode init = paired.get(k).init();
            if (sites.get(k).scoped() || sites.get(k).number() > Short.MAX_VALUE
                    || n.visibleTypeAnnotations != null || n.invisibleTypeAnnotations != null
                    || init.visibleTypeAnnotations != null || init.invisibleTypeAnnotations != null) {
                return false;
            }
            newAt[k] = -1;
            initAt[k] = -1;
        }
        int ordinal = 0;
        for (AbstractInsnNode insn : before) {
            if (insn.getOpcode() < 0) {
                continue;
            }
            for (int k = 0; k < sites.size(); k++) {
                if (insn == paired.get(k).newInsn()) {
                    newAt[k] = ordinal;
                } else if (insn == paired.get(k).init()) {
                    initAt[k] = ordinal;
                }
            }
            ordinal++;
        }
        for (int k = 0; k < sites.size(); k++) {
            if (newAt[k] < 0 || initAt[k] < 0) {
                return false;
            }
            MethodInsnNode init = paired.get(k).init();
            out.add(new Site(code, newAt[k], initAt[k], init.owner, init.desc, sites.get(k).number()));
        }
        return true;
    }

    /**
     * Returns the patched class file, or {@code null} when the bytes are not what the tree said (the caller then writes
     * the class with ASM) or the constant pool is full.
     *
     * @param bytes  the class file
     * @param reader a reader of {@code bytes}
     * @param sites  the sites to patch, grouped by method ({@link #locate})
     * @param numberAt receives, per site, where its number (the {@code SIPUSH} operand) is in the patched bytes
     */
    static byte @Nullable [] patch(byte[] bytes, ClassReader reader, List<Site> sites, int[] numberAt) {
        ConstantPoolAppender constants = new ConstantPoolAppender(reader.getItemCount());
        char[] buf = new char[reader.getMaxStringLength()];
        // absolute positions of each site's NEW and INVOKESPECIAL in `bytes`, and the factory's constant index
        int[] at = new int[3 * sites.size()];
        int from = 0;
        while (from < sites.size()) {
            int code = sites.get(from).code();
            int to = from;
            while (to < sites.size() && sites.get(to).code() == code) {
                to++;
            }
            int[] offsets = offsets(reader, code, sites, from, to);
            if (offsets == null) {
                return null;
            }
            for (int k = from; k < to; k++) {
                Site site = sites.get(k);
                int newPc = offsets[site.newInsn()];
                int initPc = offsets[site.init()];
                int classIndex = checkedSite(reader, code, newPc, offsets[site.newInsn() + 1], initPc, site, buf);
                if (classIndex < 0) {
                    return null;
                }
                int factory = constants.methodref(classIndex, ShelfNames.FACTORY,
                        ShelfNames.factoryDesc(site.owner(), site.ctorDesc()));
                if (factory < 0) {
                    return null;
                }
                at[3 * k] = code + newPc;
                at[3 * k + 1] = code + initPc;
                at[3 * k + 2] = factory;
            }
            from = to;
        }
        int poolEnd = reader.header; // access_flags follow the constant pool
        int grown = constants.length();
        byte[] out = new byte[bytes.length + grown];
        System.arraycopy(bytes, 0, out, 0, poolEnd);
        constants.copyTo(out, poolEnd);
        System.arraycopy(bytes, poolEnd, out, poolEnd + grown, bytes.length - poolEnd);
        putShort(out, COUNT_AT, constants.count());
        for (int k = 0; k < sites.size(); k++) {
            int newAt = at[3 * k] + grown;
            out[newAt] = SIPUSH;
            putShort(out, newAt + 1, sites.get(k).number());
            numberAt[k] = newAt + 1;
            out[newAt + 3] = 0; // NOP where the DUP was
            int initAt = at[3 * k + 1] + grown;
            out[initAt] = (byte) INVOKESTATIC;
            putShort(out, initAt + 1, at[3 * k + 2]);
        }
        return out;
    }

    /**
     * The code offset of each instruction of one method, by instruction number, up to the highest number any of
     * its sites ({@code sites[from, to)}) needs (plus one: the {@code DUP} after a {@code NEW}).
     *
     * @return the offsets, or {@code null} when the code ends first or has an opcode no class file may contain
     */
    private static int @Nullable [] offsets(ClassReader reader, int code, List<Site> sites, int from, int to) {
        int last = 0;
        for (int k = from; k < to; k++) {
            last = Math.max(last, Math.max(sites.get(k).newInsn() + 1, sites.get(k).init()));
        }
        int codeLength = reader.readInt(code - 4);
        int[] offsets = new int[last + 1];
        int pc = 0;
        for (int i = 0; i <= last; i++) {
            if (pc >= codeLength) {
                return null;
            }
            offsets[i] = pc;
            int size = MethodsWithSites.length(reader, code, pc);
            if (size == 0) {
                return null;
            }
            pc += size;
        }
        return offsets;
    }

    /**
     * Checks that the bytes hold the site the tree described: {@code NEW owner} at {@code newPc}, {@code DUP} as
     * the very next instruction, {@code INVOKESPECIAL owner.<init>(ctorDesc)} at {@code initPc}.
     *
     * @return the index of the owner's {@code CONSTANT_Class} entry (from the constructor's method reference), or
     *         -1 when anything differs
     */
    private static int checkedSite(ClassReader reader, int code, int newPc, int nextPc, int initPc, Site site,
                                   char[] buf) {
        if (reader.readByte(code + newPc) != NEW || nextPc != newPc + 3 || reader.readByte(code + nextPc) != DUP
                || reader.readByte(code + initPc) != INVOKESPECIAL
                || !site.owner().equals(reader.readClass(code + newPc + 1, buf))) {
            return -1;
        }
        int ref = reader.readUnsignedShort(code + initPc + 1);
        if (ref <= 0 || ref >= reader.getItemCount()) {
            return -1;
        }
        int item = reader.getItem(ref);
        if (item <= 0 || reader.readByte(item - 1) != CONSTANT_METHODREF) {
            return -1;
        }
        int nameAndType = reader.getItem(reader.readUnsignedShort(item + 2));
        if (!site.owner().equals(reader.readClass(item, buf)) || !"<init>".equals(reader.readUTF8(nameAndType, buf))
                || !site.ctorDesc().equals(reader.readUTF8(nameAndType + 2, buf))) {
            return -1;
        }
        return reader.readUnsignedShort(item);
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}
