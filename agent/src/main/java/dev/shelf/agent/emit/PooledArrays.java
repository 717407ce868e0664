package dev.shelf.agent.emit;

import dev.shelf.agent.plan.AllocationPairing;
import dev.shelf.agent.plan.SiteNumbers;

import org.jspecify.annotations.Nullable;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TypeAnnotationNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites one {@code new @Pooled byte[n]} site into a call to the runtime's array pools ({@code ArrayShelf}).
 *
 * <p>javac records {@code new @Pooled byte[n]} (annotation on the element type, type path one array step) and
 * {@code new byte @Pooled [n]} (on the array type, empty path) as a type annotation of sort {@code NEW}, at the
 * start of the array-creation expression ({@link #sites} finds the {@code NEWARRAY} or {@code ANEWARRAY} it means).
 * Either spelling pools the site. With the
 * length already on the stack, {@code NEWARRAY T} becomes {@code SIPUSH site; INVOKESTATIC ArrayShelf.ts(II)[T} and
 * {@code ANEWARRAY C} becomes {@code LDC C; SIPUSH site; INVOKESTATIC ArrayShelf.objects; CHECKCAST [C}: the same
 * array type on the stack afterwards, so nothing after the site changes. The site's number is registered under the
 * array type's source name ({@code byte[]}, {@code java.lang.String[]}, {@code byte[][]}: what
 * {@code Class.getTypeName()} says), and the site is named {@code Class.method:line} as an object site is.
 *
 * <p>One dimension only: {@code MULTIANEWARRAY} ({@code new @Pooled byte[n][m]}) stays as it is, with a warning.
 * {@code @Pooled(scope = METHOD)} releases the array at method exit ({@link MethodScope}) under the same escape rules
 * as an object ({@link AllocationPairing#escapeOf(AbstractInsnNode)}). {@code maxPerThread} and {@code maxShared}
 * have no meaning on an array site — the runtime pools arrays per element type and length — and are ignored with a
 * note.
 */
final class PooledArrays {

    private PooledArrays() {
    }

    /**
     * The {@code new @Pooled} array sites of a method: each creating instruction with the annotation that javac
     * recorded for it, in instruction order.
     *
     * <p>javac (17 and 25 alike) records the annotation not at the {@code NEWARRAY} but at the first instruction of the
     * whole array-creation expression, where the length's code starts: {@code new @Pooled byte[n + 1]} is annotated
     * at its {@code ILOAD n}. The creating instruction is found from there ({@link #creationFrom}). A compiler that
     * records it on the creating instruction itself is taken at its word. An annotation on a {@code NEW} with an empty
     * type path is the object's ({@code new @Pooled T()}), never an array's: javac records
     * {@code new long @Pooled [new T().size()]} the same way, so that spelling pools {@code T} there, not the array.
     *
     * @param owner   internal name of the class declaring {@code method}
     * @param method  the method
     * @param skipped receives a line for an annotation whose array cannot be found
     * @return the sites; empty when the method has none
     * @throws AnalyzerException when the method's stack depths cannot be analysed
     */
    static List<Site> sites(String owner, MethodNode method, List<String> skipped) throws AnalyzerException {
        Map<AbstractInsnNode, Site> out = null;
        Frame<BasicValue>[] frames = null;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn.visibleTypeAnnotations == null && insn.invisibleTypeAnnotations == null) {
                continue;
            }
            TypeAnnotationNode pooled = SiteRewriter.pooledAnnotation(insn);
            if (pooled == null || (insn.getOpcode() == Opcodes.NEW && !arrayPath(pooled))) {
                continue;
            }
            AbstractInsnNode made = insn;
            if (!isCreation(insn)) {
                if (frames == null) {
                    frames = new Analyzer<>(new BasicInterpreter()).analyze(owner, method);
                }
                made = creationFrom(method, frames, insn);
            }
            if (made == null) {
                skipped.add("@Pooled array at line " + SiteRewriter.lineOf(insn) + " in " + method.name + ": the "
                        + "array it annotates was not found where its expression starts; if there is one, it "
                        + "allocates as usual");
            } else {
                if (out == null) {
                    out = new LinkedHashMap<>();
                }
                out.putIfAbsent(made, new Site(made, pooled, insn));
            }
        }
        return out == null ? List.of() : new ArrayList<>(out.values());
    }

    /**
     * One {@code new @Pooled} array site.
     *
     * @param made    its {@code NEWARRAY}, {@code ANEWARRAY} or {@code MULTIANEWARRAY}
     * @param pooled  its annotation
     * @param carrier the instruction javac recorded the annotation on: the start of the expression
     */
    record Site(AbstractInsnNode made, TypeAnnotationNode pooled, AbstractInsnNode carrier) {
    }

    /** Whether the annotation's type path steps into an array's elements: {@code new @Pooled byte[n]}. */
    static boolean arrayPath(TypeAnnotationNode a) {
        TypePath path = a.typePath;
        if (path != null) {
            for (int i = 0; i < path.getLength(); i++) {
                if (path.getStep(i) == TypePath.ARRAY_ELEMENT) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isCreation(AbstractInsnNode insn) {
        int op = insn.getOpcode();
        return op == Opcodes.NEWARRAY || op == Opcodes.ANEWARRAY || op == Opcodes.MULTIANEWARRAY;
    }

    private static int dims(AbstractInsnNode creation) {
        return creation instanceof MultiANewArrayInsnNode m ? m.dims : 1;
    }

    /**
     * The array creation whose expression starts at {@code start}. Its lengths are the only values it adds to the
     * stack below them, so the creation is the first one reached with exactly its dimensions above the stack depth at
     * {@code start}. That one may be nested in the length of an outer creation that starts at the same instruction
     * ({@code new @Pooled long[new char[n].length + 2]}): the result is followed, along the code, for as long as it
     * stays on the stack, and an outer creation that consumes it from there is the annotated one.
     *
     * @return the creating instruction, or {@code null} when none can be found
     */
    private static @Nullable AbstractInsnNode creationFrom(MethodNode method, Frame<BasicValue>[] frames,
                                                            AbstractInsnNode start) {
        InsnList insns = method.instructions;
        int x = insns.indexOf(start);
        if (frames[x] == null) {
            return null; // dead code
        }
        int base = frames[x].getStackSize();
        AbstractInsnNode found = null;
        for (int i = x; i < insns.size() && found == null; i++) {
            Frame<BasicValue> f = frames[i];
            if (f == null) {
                continue;
            }
            if (f.getStackSize() < base) {
                return null; // the expression ended without making an array
            }
            if (isCreation(insns.get(i)) && f.getStackSize() == base + dims(insns.get(i))) {
                found = insns.get(i);
            }
        }
        if (found == null) {
            return null;
        }
        AbstractInsnNode at = found.getNext();
        for (int steps = 0; at != null && steps < insns.size(); steps++) {
            if (at.getOpcode() < 0) {
                at = at.getNext();
                continue;
            }
            Frame<BasicValue> f = frames[insns.indexOf(at)];
            if (f == null || f.getStackSize() <= base) {
                break; // what was made (or computed from it) left the stack
            }
            int op = at.getOpcode();
            if (isCreation(at) && f.getStackSize() == base + dims(at)) {
                found = at; // an outer creation computes its length from what was made
                at = at.getNext();
            } else if (op == Opcodes.GOTO) {
                at = ((JumpInsnNode) at).label;
            } else if ((op >= Opcodes.IRETURN && op <= Opcodes.RETURN) || op == Opcodes.ATHROW
                    || op == Opcodes.TABLESWITCH || op == Opcodes.LOOKUPSWITCH || op == Opcodes.RET) {
                break;
            } else {
                at = at.getNext();
            }
        }
        return found;
    }

    /** Whether the annotation says {@code scope = METHOD}. */
    static boolean methodScoped(TypeAnnotationNode pooled) {
        Object scope = value(pooled, "scope");
        return scope instanceof String[] e && e.length == 2 && "METHOD".equals(e[1]);
    }

    /**
     * Rewrites one array site, or leaves it and says why.
     *
     * @param owner           internal name of the class declaring {@code method}
     * @param method          the method, changed in place
     * @param array           the site ({@link #sites}), its instructions still in {@code method}
     * @param pairing         the method's pairing, with data flow when some array site is method-scoped
     * @param numbers         numbers the site
     * @param skipped         receives why a site stays a plain {@code new}
     * @param done            receives the rewritten site
     * @param scopedFactories receives the instruction that leaves the array on the stack, for a scoped site
     * @return whether the site was rewritten
     */
    static boolean rewrite(String owner, MethodNode method, Site array, AllocationPairing pairing,
                        SiteNumbers numbers, List<String> skipped, List<SiteRewriter.Rewritten> done,
                        List<AbstractInsnNode> scopedFactories) {
        AbstractInsnNode made = array.made();
        TypeAnnotationNode pooled = array.pooled();
        int line = SiteRewriter.lineOf(made);
        String arrayDesc = arrayDescriptor(made);
        String typeName = Type.getType(arrayDesc).getClassName();
        String where = typeName + " at line " + line + " in " + method.name + ": ";
        if (made instanceof MultiANewArrayInsnNode m) {
            skipped.add(where + "new @Pooled with " + m.dims + " dimensions given; only one-dimensional arrays are "
                    + "pooled (new @Pooled byte[n], or new @Pooled byte[n][] for an array of arrays)");
            return false;
        }
        boolean scoped = methodScoped(pooled);
        if (scoped) {
            String why = method.name.startsWith("<") ? "it is in a constructor or static initialiser"
                    : pairing.escapeOf(made);
            if (why == null && pairing.inLoop(made)) {
                why = "it is inside a loop, where one method exit would have to release many arrays";
            }
            if (why != null) {
                skipped.add(where + "@Pooled(scope = METHOD) but " + why);
                return false;
            }
        }
        String name = SiteRewriter.siteName(owner, method.name, line);
        int number = numbers.number(typeName, name);
        if (number == SiteNumbers.LEAVE) {
            return false; // turned back into a plain new: its arrays never came back
        }
        InsnList before = new InsnList();
        AbstractInsnNode result;
        if (made instanceof TypeInsnNode anew) {
            before.add(new LdcInsnNode(Type.getObjectType(anew.desc)));
            before.add(push(number));
            method.instructions.insertBefore(made, before);
            AbstractInsnNode call = RuntimeAbi.ARRAY_OBJECTS.insn();
            method.instructions.set(made, call);
            result = new TypeInsnNode(Opcodes.CHECKCAST, arrayDesc);
            method.instructions.insert(call, result);
        } else {
            before.add(push(number));
            method.instructions.insertBefore(made, before);
            result = RuntimeAbi.pooledArray(((IntInsnNode) made).operand).insn();
            method.instructions.set(made, result);
        }
        if (scoped) {
            scopedFactories.add(result);
        }
        // The annotation would stay behind on the instruction that starts the length; the site it named is gone.
        for (List<TypeAnnotationNode> list : java.util.Arrays.asList(array.carrier().visibleTypeAnnotations,
                array.carrier().invisibleTypeAnnotations)) {
            if (list != null) {
                list.remove(pooled);
            }
        }
        done.add(new SiteRewriter.Rewritten(typeName, line, scoped, name, number));
        return true;
    }

    /**
     * What the site's annotation asks for that an array site ignores: {@code maxPerThread}, {@code maxShared}.
     *
     * @param made   the site, before its rewrite
     * @param pooled its annotation
     * @param method the method it is in
     * @return the note, or {@code null} when there is nothing to say
     */
    static @Nullable String ignoredElements(AbstractInsnNode made, TypeAnnotationNode pooled, MethodNode method) {
        if (value(pooled, "maxPerThread") == null && value(pooled, "maxShared") == null) {
            return null;
        }
        return Type.getType(arrayDescriptor(made)).getClassName() + " at line " + SiteRewriter.lineOf(made) + " in "
                + method.name + ": @Pooled(maxPerThread, maxShared) is ignored on an array site (arrays are pooled "
                + "per element type and length, bounded by shelf.pool settings)";
    }

    /** The descriptor of the array the instruction makes: {@code [B}, {@code [Ljava/lang/String;}, {@code [[B}. */
    private static String arrayDescriptor(AbstractInsnNode made) {
        if (made instanceof MultiANewArrayInsnNode m) {
            return m.desc;
        }
        if (made instanceof TypeInsnNode anew) {
            return "[" + Type.getObjectType(anew.desc).getDescriptor();
        }
        return switch (((IntInsnNode) made).operand) {
            case Opcodes.T_BOOLEAN -> "[Z";
            case Opcodes.T_BYTE -> "[B";
            case Opcodes.T_CHAR -> "[C";
            case Opcodes.T_SHORT -> "[S";
            case Opcodes.T_INT -> "[I";
            case Opcodes.T_FLOAT -> "[F";
            case Opcodes.T_LONG -> "[J";
            case Opcodes.T_DOUBLE -> "[D";
            default -> throw new IllegalArgumentException("not a NEWARRAY operand: " + ((IntInsnNode) made).operand);
        };
    }

    private static AbstractInsnNode push(int number) {
        return number <= Short.MAX_VALUE ? new IntInsnNode(Opcodes.SIPUSH, number) : new LdcInsnNode(number);
    }

    /** An element of the annotation as javac wrote it (absent when left at its default), or {@code null}. */
    private static @Nullable Object value(TypeAnnotationNode a, String name) {
        List<Object> values = a.values;
        if (values != null) {
            for (int i = 0; i + 1 < values.size(); i += 2) {
                if (name.equals(values.get(i))) {
                    return values.get(i + 1);
                }
            }
        }
        return null;
    }
}
