package dev.shelf.agent.rewrite;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the fields a pooled object <em>owns</em>: those whose value its constructor always makes itself.
 *
 * <p>A field is owned when every constructor that calls {@code super(...)} assigns it, unconditionally (in the
 * straight-line code right after the super call, where javac puts field initialisers), with one of:
 * <ul>
 *   <li>a JDK container made with no argument or a capacity: {@code this.f = new ArrayList<>(32)};</li>
 *   <li>a primitive array of constant length: {@code this.f = new byte[16 * 1024]};</li>
 *   <li>a pooled object made with no argument: {@code this.f = new Child()}, rewritten to {@code Child.$shelf$new()};</li>
 * </ul>
 * and nothing else can assign it: it is {@code final}, or it is {@code private}, assigned only in constructors, and
 * the class has no nest mates (which could write a private field directly).
 *
 * <p>Only owned values may be emptied and reused, or released with their owner: anything else may be shared with
 * code outside the object, and emptying a list somebody else still holds is exactly the bleed Shelf must never
 * cause. Every other reference field is simply dropped ({@code null}) on release.
 */
final class OwnedFields {

    /** What an owned field holds. */
    enum Kind {
        /** A JDK container: emptied on release, reused by the re-initialiser. */
        CONTAINER,
        /** A primitive array of constant length: zeroed and reused by the re-initialiser. */
        ARRAY,
        /** A pooled object: released with its owner. */
        CHILD
    }

    /**
     * One owned-value assignment inside a constructor.
     *
     * @param field the field's name
     * @param kind  what it holds
     * @param first the first instruction of the value expression (after {@code ALOAD 0})
     * @param last  the last instruction of the value expression (before {@code PUTFIELD})
     */
    record Assignment(String field, Kind kind, AbstractInsnNode first, AbstractInsnNode last) {
    }

    /** Containers whose no-argument or capacity constructor makes an object that emptying restores exactly. */
    static final Set<String> CONTAINERS = Set.of("java/util/ArrayList", "java/util/LinkedList",
            "java/util/HashMap", "java/util/LinkedHashMap", "java/util/TreeMap", "java/util/IdentityHashMap",
            "java/util/HashSet", "java/util/LinkedHashSet", "java/util/TreeSet", "java/util/ArrayDeque",
            "java/util/PriorityQueue", "java/util/BitSet", "java/lang/StringBuilder", "java/lang/StringBuffer",
            "java/util/concurrent/ConcurrentHashMap");

    private final Map<String, Kind> owned;
    private final Map<MethodNode, List<Assignment>> assignments;

    private OwnedFields(Map<String, Kind> owned, Map<MethodNode, List<Assignment>> assignments) {
        this.owned = owned;
        this.assignments = assignments;
    }

    /**
     * Analyses a class whose constructors' own super/this calls are known.
     *
     * @param cls       the class (allocation sites already rewritten)
     * @param selfInits each constructor's super/this call
     * @return the owned fields
     */
    static OwnedFields of(ClassNode cls, Map<MethodNode, MethodInsnNode> selfInits) {
        Map<String, Kind> candidates = null;
        Map<MethodNode, List<Assignment>> byCtor = new HashMap<>();
        for (Map.Entry<MethodNode, MethodInsnNode> e : selfInits.entrySet()) {
            if (e.getValue().owner.equals(cls.name)) {
                continue; // this(...): the constructor it delegates to does the assigning
            }
            List<Assignment> found = new java.util.ArrayList<>();
            Map<String, Kind> here = new LinkedHashMap<>();
            for (Assignment a : straightLineAssignments(cls, e.getKey(), e.getValue())) {
                if (!here.containsKey(a.field())) {
                    here.put(a.field(), a.kind());
                    found.add(a);
                }
            }
            byCtor.put(e.getKey(), found);
            if (candidates == null) {
                candidates = here;
            } else {
                // loops rather than lambdas here and below: this runs on the agent's first rewrite
                for (java.util.Iterator<Map.Entry<String, Kind>> it = candidates.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<String, Kind> c = it.next();
                    if (here.get(c.getKey()) != c.getValue()) {
                        it.remove();
                    }
                }
            }
        }
        Map<String, Kind> owned = new LinkedHashMap<>();
        if (candidates != null) {
            Map<String, Integer> writes = putFieldCounts(cls);
            for (Map.Entry<String, Kind> c : candidates.entrySet()) {
                if (onlyTheConstructorsAssign(cls, c.getKey(), writes, byCtor.size())) {
                    owned.put(c.getKey(), c.getValue());
                }
            }
        }
        for (List<Assignment> list : byCtor.values()) {
            for (java.util.Iterator<Assignment> it = list.iterator(); it.hasNext(); ) {
                if (!owned.containsKey(it.next().field())) {
                    it.remove();
                }
            }
        }
        return new OwnedFields(owned, byCtor);
    }

    /** @return owned fields by name */
    Map<String, Kind> owned() {
        return owned;
    }

    /**
     * @param ctor a constructor
     * @return its assignments of owned fields (empty for {@code this(...)} constructors)
     */
    List<Assignment> assignmentsIn(MethodNode ctor) {
        return assignments.getOrDefault(ctor, List.of());
    }

    private static boolean onlyTheConstructorsAssign(ClassNode cls, String field, Map<String, Integer> writes,
                                                     int superCallingCtors) {
        FieldNode f = null;
        for (FieldNode x : cls.fields) {
            if (x.name.equals(field)) {
                f = x;
                break;
            }
        }
        if (f == null || (f.access & Opcodes.ACC_STATIC) != 0) {
            return false;
        }
        if ((f.access & Opcodes.ACC_FINAL) != 0) {
            return true;
        }
        boolean hasNestMates = (cls.nestMembers != null && !cls.nestMembers.isEmpty()) || cls.nestHostClass != null;
        return (f.access & Opcodes.ACC_PRIVATE) != 0 && !hasNestMates
                && writes.getOrDefault(field, 0) == superCallingCtors;
    }

    /** PUTFIELDs of each of this class's own fields on any receiver, counted over every method. */
    private static Map<String, Integer> putFieldCounts(ClassNode cls) {
        Map<String, Integer> counts = new HashMap<>();
        for (MethodNode m : cls.methods) {
            for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
                if (i instanceof FieldInsnNode f && f.getOpcode() == Opcodes.PUTFIELD && f.owner.equals(cls.name)) {
                    counts.put(f.name, counts.getOrDefault(f.name, 0) + 1);
                }
            }
        }
        return counts;
    }

    /** Owned-value assignments in the branch-free code right after the super call. */
    private static List<Assignment> straightLineAssignments(ClassNode cls, MethodNode ctor, MethodInsnNode self) {
        Set<LabelNode> targets = branchTargets(ctor);
        List<Assignment> out = new java.util.ArrayList<>();
        for (AbstractInsnNode i = self.getNext(); i != null; i = i.getNext()) {
            if (i instanceof LabelNode l && targets.contains(l)) {
                break;
            }
            int op = i.getOpcode();
            if (i instanceof JumpInsnNode || i instanceof TableSwitchInsnNode || i instanceof LookupSwitchInsnNode
                    || op == Opcodes.ATHROW || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN)) {
                break;
            }
            if (op == Opcodes.ALOAD && ((VarInsnNode) i).var == 0) {
                Assignment a = match(cls, i);
                if (a != null) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    private static Assignment match(ClassNode cls, AbstractInsnNode aload0) {
        AbstractInsnNode p1 = next(aload0);
        if (p1 == null) {
            return null;
        }
        // this.f = new C() / new C(int)
        if (p1 instanceof TypeInsnNode n && n.getOpcode() == Opcodes.NEW && CONTAINERS.contains(n.desc)) {
            AbstractInsnNode dup = next(n);
            if (dup == null || dup.getOpcode() != Opcodes.DUP) {
                return null;
            }
            AbstractInsnNode p = next(dup);
            boolean capacity = intConstant(p) != null;
            AbstractInsnNode init = capacity ? next(p) : p;
            if (init instanceof MethodInsnNode m && m.getOpcode() == Opcodes.INVOKESPECIAL && m.owner.equals(n.desc)
                    && m.name.equals("<init>") && m.desc.equals(capacity ? "(I)V" : "()V")) {
                return assignment(cls, n, init, Kind.CONTAINER);
            }
            return null;
        }
        // this.f = new byte[CONSTANT]
        Integer length = intConstant(p1);
        if (length != null && length >= 0) {
            AbstractInsnNode arr = next(p1);
            if (arr instanceof IntInsnNode na && na.getOpcode() == Opcodes.NEWARRAY) {
                return assignment(cls, p1, arr, Kind.ARRAY);
            }
            // this.f = new PooledChild()  (already rewritten to PooledChild.$shelf$new(site))
            if (arr instanceof MethodInsnNode m && m.getOpcode() == Opcodes.INVOKESTATIC
                    && m.name.equals(ShelfNames.FACTORY) && m.desc.startsWith("(I)")) {
                return assignment(cls, p1, arr, Kind.CHILD);
            }
            return null;
        }
        return null;
    }

    private static Assignment assignment(ClassNode cls, AbstractInsnNode first, AbstractInsnNode last, Kind kind) {
        AbstractInsnNode put = next(last);
        if (put instanceof FieldInsnNode f && f.getOpcode() == Opcodes.PUTFIELD && f.owner.equals(cls.name)) {
            return new Assignment(f.name, kind, first, last);
        }
        return null;
    }

    /**
     * The value of an int-constant instruction.
     *
     * @param insn any instruction, or {@code null}
     * @return the constant, or {@code null} when the instruction pushes no int constant
     */
    static Integer intConstant(AbstractInsnNode insn) {
        if (insn == null) {
            return null;
        }
        int op = insn.getOpcode();
        if (op >= Opcodes.ICONST_M1 && op <= Opcodes.ICONST_5) {
            return op - Opcodes.ICONST_0;
        }
        if ((op == Opcodes.BIPUSH || op == Opcodes.SIPUSH) && insn instanceof IntInsnNode i) {
            return i.operand;
        }
        if (op == Opcodes.LDC && ((LdcInsnNode) insn).cst instanceof Integer i) {
            return i;
        }
        return null;
    }

    private static AbstractInsnNode next(AbstractInsnNode insn) {
        AbstractInsnNode n = insn.getNext();
        while (n != null && n.getOpcode() < 0) {
            n = n.getNext();
        }
        return n;
    }

    private static Set<LabelNode> branchTargets(MethodNode m) {
        Set<LabelNode> out = new HashSet<>();
        for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
            if (i instanceof JumpInsnNode j) {
                out.add(j.label);
            } else if (i instanceof TableSwitchInsnNode t) {
                out.add(t.dflt);
                out.addAll(t.labels);
            } else if (i instanceof LookupSwitchInsnNode l) {
                out.add(l.dflt);
                out.addAll(l.labels);
            }
        }
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            out.add(t.start);
            out.add(t.end);
            out.add(t.handler);
        }
        return out;
    }
}
