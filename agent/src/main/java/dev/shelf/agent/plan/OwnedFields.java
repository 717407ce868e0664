package dev.shelf.agent.plan;

import dev.shelf.agent.classfile.ShelfNames;

import org.jspecify.annotations.Nullable;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the fields a pooled object <em>owns</em>: those whose value its constructor always makes itself.
 *
 * <p>A field is owned when every constructor that calls {@code super(...)} assigns it, unconditionally (in the
 * straight-line code right after the super call, where javac puts field initialisers), with one of:
 * <ul>
 *   <li>a JDK container made with no argument or a capacity, whatever expression computes the capacity:
 *       {@code this.f = new ArrayList<>(32)}, {@code new StringBuilder(2 * n)};</li>
 *   <li>a primitive array, whatever expression computes its length: {@code this.f = new byte[16 * 1024]},
 *       {@code new byte[SIZE]}, {@code new byte[capacity + 1]};</li>
 *   <li>a pooled object made with no argument: {@code this.f = new Child()}, rewritten to {@code Child.$shelf$new()};</li>
 * </ul>
 * and nothing else can assign it: it is {@code final}, or it is {@code private}, assigned only in constructors, and
 * the class has no nest mates (which could write a private field directly).
 *
 * <p>Only owned values may be emptied and reused, or released with their owner: anything else may be shared with
 * code outside the object, and emptying a list somebody else still holds is exactly the bleed Shelf must never
 * cause. Every other reference field is simply dropped ({@code null}) on release.
 *
 * <p>A length or capacity expression is any straight-line code that leaves one {@code int} on the stack without
 * touching what lies below it: the re-initialiser copies it and runs it exactly once, as the constructor does, so
 * side effects and exceptions stay those of {@code new}. Each field the constructors allocate into is also
 * {@linkplain #explanations() explained}: kept and on what condition, or made anew on every reuse and why.
 */
public final class OwnedFields {

    /** What an owned field holds. */
    public enum Kind {
        /** A JDK container: emptied on release, reused by the re-initialiser. */
        CONTAINER,
        /** A primitive array: zeroed and reused by the re-initialiser when its length is what the constructor asks. */
        ARRAY,
        /** A pooled object: released with its owner. */
        CHILD
    }

    /**
     * One owned-value assignment inside a constructor: {@code ALOAD 0}, the value expression, {@code PUTFIELD}.
     *
     * @param field     the field's name
     * @param kind      what it holds
     * @param first     the first instruction of the value expression (after {@code ALOAD 0})
     * @param last      the instruction that makes the value: the container's {@code <init>} call, the
     *                  {@code NEWARRAY}, the child's factory call
     * @param put       the {@code PUTFIELD}
     * @param sizeFirst a container's capacity expression, first instruction (after {@code NEW}, {@code DUP}); else
     *                  {@code null}
     */
    public record Assignment(String field, Kind kind, AbstractInsnNode first, AbstractInsnNode last, FieldInsnNode put,
                      @Nullable AbstractInsnNode sizeFirst) {

        /** Returns whether a container's capacity is computed by more than one constant instruction. */
        public boolean computedCapacity() {
            return sizeFirst != null && !(next(sizeFirst) == last && intConstant(sizeFirst) != null);
        }
    }

    /** Containers whose no-argument or capacity constructor makes an object that emptying restores exactly. */
    static final Set<String> CONTAINERS = Set.of("java/util/ArrayList", "java/util/LinkedList",
            "java/util/HashMap", "java/util/LinkedHashMap", "java/util/TreeMap", "java/util/IdentityHashMap",
            "java/util/HashSet", "java/util/LinkedHashSet", "java/util/TreeSet", "java/util/ArrayDeque",
            "java/util/PriorityQueue", "java/util/BitSet", "java/lang/StringBuilder", "java/lang/StringBuffer",
            "java/util/concurrent/ConcurrentHashMap");

    private final Map<String, Kind> owned;
    private final Map<MethodNode, List<Assignment>> assignments;
    private final Map<String, String> explanations;
    private final String fieldLines;
    private final Set<String> scratch;

    private OwnedFields(Map<String, Kind> owned, Map<MethodNode, List<Assignment>> assignments,
                        Map<String, String> explanations, String fieldLines, Set<String> scratch) {
        this.scratch = scratch;
        this.owned = owned;
        this.assignments = assignments;
        this.explanations = explanations;
        this.fieldLines = fieldLines;
    }

    /**
     * Analyses a class whose constructors' own super/this calls are known.
     *
     * @param cls       the class (allocation sites already rewritten)
     * @param selfInits each constructor's super/this call
     * @return the owned fields
     */
    public static OwnedFields of(ClassNode cls, Map<MethodNode, MethodInsnNode> selfInits) {
        Map<String, Kind> candidates = null;
        Map<String, String> why = new LinkedHashMap<>(); // first reason a field is not owned
        Map<MethodNode, List<Assignment>> byCtor = new HashMap<>();
        for (Map.Entry<MethodNode, MethodInsnNode> e : selfInits.entrySet()) {
            if (e.getValue().owner.equals(cls.name)) {
                continue; // this(...): the constructor it delegates to does the assigning
            }
            List<Assignment> found = new ArrayList<>();
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
                        why.putIfAbsent(c.getKey(), "constructor " + signature(e.getKey()) + " does not make it the "
                                + "same way, before any branch");
                    }
                }
                for (String f : here.keySet()) {
                    if (!candidates.containsKey(f)) {
                        why.putIfAbsent(f, "not every constructor makes it the same way, before any branch");
                    }
                }
            }
        }
        Map<String, Kind> owned = new LinkedHashMap<>();
        if (candidates != null) {
            Map<String, Integer> writes = putFieldCounts(cls);
            for (Map.Entry<String, Kind> c : candidates.entrySet()) {
                String problem = assignableElsewhere(cls, c.getKey(), writes, byCtor.size());
                if (problem == null) {
                    owned.put(c.getKey(), c.getValue());
                } else {
                    why.putIfAbsent(c.getKey(), problem);
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
        Set<String> scratch = new HashSet<>();
        for (FieldNode f : cls.fields) {
            if (annotated(f, SCRATCH_DESC)) {
                if (owned.get(f.name) == Kind.ARRAY) {
                    scratch.add(f.name);
                } else {
                    dev.shelf.agent.report.ShelfLog.warnOnce(cls.name + "." + f.name + ":scratch", "@Scratch on "
                            + cls.name.replace('/', '.') + "." + f.name + " is ignored: it applies only to a "
                            + "primitive array the object owns (made by every constructor before any branch, and final "
                            + "or private and assigned only there)" + (why.containsKey(f.name) ? "; here "
                            + why.get(f.name) : "") + ". The field is made anew on every reuse");
                }
            }
        }
        StringBuilder fieldLines = new StringBuilder();
        Map<String, String> explanations = explain(cls, selfInits, owned, byCtor, why, fieldLines, scratch);
        return new OwnedFields(owned, byCtor, explanations, fieldLines.toString(), scratch);
    }

    /** Descriptor of {@code dev.shelf.Scratch}, compared by name like {@code @Pooled}. */
    static final String SCRATCH_DESC = "Ldev/shelf/Scratch;";

    private static boolean annotated(FieldNode f, String desc) {
        for (List<org.objectweb.asm.tree.AnnotationNode> list : java.util.Arrays.asList(f.visibleAnnotations,
                f.invisibleAnnotations)) {
            if (list != null) {
                for (org.objectweb.asm.tree.AnnotationNode a : list) {
                    if (a.desc.equals(desc)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Tells whether an owned array field is {@code @Scratch}.
     *
     * @param field an owned array field
     * @return whether it is {@code @Scratch}: kept on reuse without zeroing
     */
    public boolean isScratch(String field) {
        return scratch.contains(field);
    }

    /** Returns owned fields by name. */
    public Map<String, Kind> owned() {
        return owned;
    }

    /**
     * Returns the owned-field assignments of a constructor.
     *
     * @param ctor a constructor
     * @return its assignments of owned fields (empty for {@code this(...)} constructors)
     */
    public List<Assignment> assignmentsIn(MethodNode ctor) {
        return assignments.getOrDefault(ctor, List.of());
    }

    /**
     * What reuse does with each field a constructor allocates into, one line per field for explain mode: kept (and
     * on what condition), released with the owner, or made anew on every reuse with the reason.
     *
     * @return field name to its line, in declaration order
     */
    public Map<String, String> explanations() {
        return explanations;
    }

    /**
     * What the constructors allocate into fields, for the pool's registration: one line per field,
     * {@code kept TAB name TAB estimated-bytes} for an owned primitive array of constant length (the pool's size
     * estimate), {@code remade TAB name TAB estimated-bytes-or--1 TAB reason} for an array or JDK container reuse
     * cannot keep (the exit report's advisory). The runtime reads these lines instead of parsing class files.
     *
     * @return the lines, empty when there is nothing to tell
     */
    public String fieldLines() {
        return fieldLines;
    }

    /**
     * Why a candidate field could be assigned by something other than the constructors, or {@code null} if it
     * cannot.
     */
    private static @Nullable String assignableElsewhere(ClassNode cls, String field, Map<String, Integer> writes,
                                                        int superCallingCtors) {
        FieldNode f = field(cls, field);
        if (f == null || (f.access & Opcodes.ACC_STATIC) != 0) {
            return "it is not an instance field of this class";
        }
        if ((f.access & Opcodes.ACC_FINAL) != 0) {
            return null;
        }
        if ((f.access & Opcodes.ACC_PRIVATE) == 0) {
            return "it is neither final nor private, so code outside the object could replace it (make it final)";
        }
        if ((cls.nestMembers != null && !cls.nestMembers.isEmpty()) || cls.nestHostClass != null) {
            return "it is not final and the class has nest mates (inner or outer classes) that could replace it "
                    + "(make it final)";
        }
        if (writes.getOrDefault(field, 0) != superCallingCtors) {
            return "it is not final and is assigned outside the constructors (make it final)";
        }
        return null;
    }

    private static @Nullable FieldNode field(ClassNode cls, String name) {
        for (FieldNode x : cls.fields) {
            if (x.name.equals(name)) {
                return x;
            }
        }
        return null;
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
        List<Assignment> out = new ArrayList<>();
        for (AbstractInsnNode i = self.getNext(); i != null; i = i.getNext()) {
            if ((i instanceof LabelNode l && targets.contains(l)) || leavesStraightLine(i)) {
                break;
            }
            if (i.getOpcode() == Opcodes.ALOAD && ((VarInsnNode) i).var == 0) {
                Assignment a = match(cls, i, targets);
                if (a != null) {
                    out.add(a);
                    i = a.put();
                }
            }
        }
        return out;
    }

    private static boolean leavesStraightLine(AbstractInsnNode i) {
        int op = i.getOpcode();
        return i instanceof JumpInsnNode || i instanceof TableSwitchInsnNode || i instanceof LookupSwitchInsnNode
                || op == Opcodes.ATHROW || (op >= Opcodes.IRETURN && op <= Opcodes.RETURN);
    }

    private static @Nullable Assignment match(ClassNode cls, AbstractInsnNode aload0, Set<LabelNode> targets) {
        AbstractInsnNode p1 = next(aload0);
        if (p1 == null) {
            return null;
        }
        // this.f = new C() / new C(capacity)
        if (p1 instanceof TypeInsnNode n && n.getOpcode() == Opcodes.NEW && CONTAINERS.contains(n.desc)) {
            AbstractInsnNode dup = next(n);
            if (dup == null || dup.getOpcode() != Opcodes.DUP || next(dup) == null) {
                return null;
            }
            AbstractInsnNode init = valueEnd(next(dup), targets, n.desc);
            if (!(init instanceof MethodInsnNode m)) {
                return null;
            }
            boolean capacity = init != next(dup);
            if (!m.desc.equals(capacity ? "(I)V" : "()V")) {
                return null;
            }
            return assignment(cls, n, init, Kind.CONTAINER, capacity ? next(dup) : null);
        }
        // this.f = new PooledChild()  (already rewritten to PooledChild.$shelf$new(site))
        AbstractInsnNode after = next(p1);
        if (intConstant(p1) != null && after instanceof MethodInsnNode m && m.getOpcode() == Opcodes.INVOKESTATIC
                && m.name.equals(ShelfNames.FACTORY) && m.desc.startsWith("(I)")) {
            return assignment(cls, p1, after, Kind.CHILD, null);
        }
        // this.f = new byte[length expression]
        AbstractInsnNode arr = valueEnd(p1, targets, null);
        if (arr != null && arr != p1) {
            return assignment(cls, p1, arr, Kind.ARRAY, null);
        }
        return null;
    }

    /**
     * Walks straight-line code from {@code from} that pushes one value over the stack it starts with, never
     * consuming what lies below, up to the instruction that makes the value: a {@code NEWARRAY} while one slot (the
     * length) is pushed, or a constructor call of {@code initOwner} while its arguments are (one slot for a
     * capacity, none for no argument). A plain loop, no lambda: this runs on the agent's first rewrite.
     *
     * @param initOwner the container whose {@code <init>} ends the walk, or {@code null} for a {@code NEWARRAY}
     * @return that instruction, or {@code null} when the code branches, reaches a branch target or underflows first
     */
    private static @Nullable AbstractInsnNode valueEnd(AbstractInsnNode from, Set<LabelNode> targets,
                                                       @Nullable String initOwner) {
        int depth = 0;
        for (AbstractInsnNode i = from; i != null; i = i.getNext()) {
            if (i instanceof LabelNode l && targets.contains(l)) {
                return null;
            }
            if (i.getOpcode() < 0) {
                continue;
            }
            if (leavesStraightLine(i)) {
                return null;
            }
            boolean makes = initOwner == null ? i.getOpcode() == Opcodes.NEWARRAY
                    : i instanceof MethodInsnNode m && m.getOpcode() == Opcodes.INVOKESPECIAL
                    && m.owner.equals(initOwner) && m.name.equals("<init>");
            if (makes && depth == (initOwner == null ? 1 : StraightLinePairing.pops(i) - 1)) {
                return i;
            }
            int pops = StraightLinePairing.pops(i);
            int pushes = StraightLinePairing.pushes(i);
            if (pops < 0 || pushes < 0 || depth - pops < 0) {
                return null;
            }
            depth += pushes - pops;
        }
        return null;
    }

    private static @Nullable Assignment assignment(ClassNode cls, AbstractInsnNode first, AbstractInsnNode last,
                                                   Kind kind, @Nullable AbstractInsnNode sizeFirst) {
        AbstractInsnNode put = next(last);
        if (put instanceof FieldInsnNode f && f.getOpcode() == Opcodes.PUTFIELD && f.owner.equals(cls.name)) {
            return new Assignment(f.name, kind, first, last, f, sizeFirst);
        }
        return null;
    }

    // ---- explain mode ---------------------------------------------------------------------------------------------

    private static Map<String, String> explain(ClassNode cls, Map<MethodNode, MethodInsnNode> selfInits,
                                               Map<String, Kind> owned, Map<MethodNode, List<Assignment>> byCtor,
                                               Map<String, String> why, StringBuilder fieldLines,
                                               Set<String> scratch) {
        Map<String, AbstractInsnNode> made = new LinkedHashMap<>(); // field -> what a constructor allocates into it
        for (MethodNode ctor : selfInits.keySet()) {
            for (AbstractInsnNode i = ctor.instructions.getFirst(); i != null; i = i.getNext()) {
                if (i instanceof FieldInsnNode f && f.getOpcode() == Opcodes.PUTFIELD && f.owner.equals(cls.name)) {
                    AbstractInsnNode value = previous(f);
                    if (value != null && allocates(value)) {
                        made.putIfAbsent(f.name, value);
                    }
                }
            }
        }
        Map<String, Assignment> sample = new HashMap<>();
        Map<String, MethodNode> sampleCtor = new HashMap<>();
        for (Map.Entry<MethodNode, List<Assignment>> e : byCtor.entrySet()) {
            for (Assignment a : e.getValue()) {
                if (sample.putIfAbsent(a.field(), a) == null) {
                    sampleCtor.put(a.field(), e.getKey());
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (FieldNode f : cls.fields) {
            AbstractInsnNode value = made.get(f.name);
            Kind kind = owned.get(f.name);
            if (kind != null) {
                // owned fields are among the candidates, each assigned in some constructor: sampled above
                Assignment a = Objects.requireNonNull(sample.get(f.name));
                out.put(f.name, kept(a, Objects.requireNonNull(sampleCtor.get(f.name)), f, scratch.contains(f.name)));
                long bytes = kind == Kind.ARRAY && next(a.first()) == a.last() ? constantArrayBytes(a.last()) : -1;
                if (bytes >= 0) {
                    fieldLines.append("kept\t").append(f.name).append('\t').append(bytes).append('\n');
                }
            } else if (value != null) {
                String reason = notKept(value, why.get(f.name));
                out.put(f.name, "made anew on every reuse: " + reason);
                int op = value.getOpcode();
                if (op == Opcodes.NEWARRAY || op == Opcodes.ANEWARRAY || op == Opcodes.MULTIANEWARRAY
                        || (value instanceof MethodInsnNode m && CONTAINERS.contains(m.owner))) {
                    fieldLines.append("remade\t").append(f.name).append('\t').append(constantArrayBytes(value))
                            .append('\t')
                            .append(reason.replace('\n', ' ').replace('\t', ' ')).append('\n');
                }
            }
        }
        return out;
    }

    private static String kept(Assignment a, MethodNode ctor, FieldNode f, boolean scratch) {
        switch (a.kind()) {
            case ARRAY -> {
                String type = Type.getType("[" + ARRAY_ELEMENTS.get(((IntInsnNode) a.last()).operand)).getClassName();
                String length = render(a.first(), a.last(), ctor);
                boolean constant = next(a.first()) == a.last() && intConstant(a.first()) != null;
                if (scratch) {
                    return "kept: " + type.replace("[]", "[" + length + "]") + ", @Scratch: not zeroed on reuse "
                            + "(filled with 0xA5 in strict mode)" + (constant ? "" : "; made anew when the length the "
                            + "constructor computes differs");
                }
                return "kept: " + type.replace("[]", "[" + length + "]") + (constant
                        ? ", zeroed on reuse"
                        : ", zeroed on reuse when the length the constructor computes is the kept array's length, "
                        + "else allocated at that length");
            }
            case CONTAINER -> {
                String type = ((TypeInsnNode) a.first()).desc;
                String simple = type.substring(type.lastIndexOf('/') + 1);
                return "kept: " + simple + ", emptied on release and reused (let go on release when it grew past "
                        + "shelf.pool.maxRetainedBytes, then made anew as the constructor makes it)";
            }
            default -> {
                return "pooled child " + Type.getType(f.desc).getClassName() + ": released with its owner, taken "
                        + "from its own pool on reuse";
            }
        }
    }

    /** A one-dimensional array of constant length, estimated as the runtime does; -1 for anything else. */
    private static long constantArrayBytes(AbstractInsnNode value) {
        Integer length = value.getOpcode() == Opcodes.NEWARRAY || value.getOpcode() == Opcodes.ANEWARRAY
                ? intConstant(previous(value)) : null;
        if (length == null || length < 0) {
            return -1;
        }
        int width = 4;
        if (value instanceof IntInsnNode n) {
            String e = Objects.requireNonNull(ARRAY_ELEMENTS.get(n.operand)); // NEWARRAY's operand is a T_ code
            width = e.equals("J") || e.equals("D") ? 8 : e.equals("I") || e.equals("F") ? 4
                    : e.equals("S") || e.equals("C") ? 2 : 1;
        }
        return (16L + (long) width * length + 7) & ~7L;
    }

    private static String notKept(AbstractInsnNode value, @Nullable String why) {
        if (value.getOpcode() == Opcodes.ANEWARRAY) {
            return "an array of references (only primitive arrays are kept)";
        }
        if (value.getOpcode() == Opcodes.MULTIANEWARRAY) {
            return "a multi-dimensional array (only one-dimensional primitive arrays are kept)";
        }
        if (value instanceof MethodInsnNode m && m.name.equals("<init>")) {
            String simple = m.owner.substring(m.owner.lastIndexOf('/') + 1);
            if (!CONTAINERS.contains(m.owner)) {
                return simple + " is neither a JDK container Shelf can empty nor @Pooled";
            }
            if (!m.desc.equals("()V") && !m.desc.equals("(I)V")) {
                return simple + " is made with arguments other than a capacity, which emptying cannot restore";
            }
        }
        if (value instanceof MethodInsnNode m && m.name.equals(ShelfNames.FACTORY) && !m.desc.startsWith("(I)")) {
            return "a pooled child made with constructor arguments; it is released on release and taken from its "
                    + "pool on reuse like any other site";
        }
        return why != null ? why : "the constructors do not make it before any branch or loop";
    }

    private static boolean allocates(AbstractInsnNode value) {
        int op = value.getOpcode();
        return op == Opcodes.NEWARRAY || op == Opcodes.ANEWARRAY || op == Opcodes.MULTIANEWARRAY
                || (value instanceof MethodInsnNode m && ((m.name.equals("<init>") && op == Opcodes.INVOKESPECIAL)
                || m.name.equals(ShelfNames.FACTORY)));
    }

    /**
     * The length expression as source-like text, for explain mode: constants, static fields, parameters and fields
     * by name, and arithmetic on them; anything else shows as {@code …}.
     */
    private static String render(AbstractInsnNode first, AbstractInsnNode end, MethodNode ctor) {
        java.util.ArrayDeque<String> stack = new java.util.ArrayDeque<>();
        for (AbstractInsnNode i = first; i != null && i != end; i = i.getNext()) {
            int op = i.getOpcode();
            if (op < 0) {
                continue;
            }
            Integer c = intConstant(i);
            String sym = BINARY.get(op);
            if (c != null) {
                stack.push(String.valueOf(c));
            } else if (op == Opcodes.GETSTATIC) {
                stack.push(((FieldInsnNode) i).name);
            } else if (op == Opcodes.GETFIELD && !stack.isEmpty()) {
                stack.pop();
                stack.push(((FieldInsnNode) i).name);
            } else if (op == Opcodes.ILOAD) {
                stack.push(localName(ctor, ((VarInsnNode) i).var));
            } else if (op == Opcodes.INVOKESTATIC && i instanceof MethodInsnNode m
                    && stack.size() >= Type.getArgumentTypes(m.desc).length) {
                int n = Type.getArgumentTypes(m.desc).length;
                String[] args = new String[n];
                for (int k = n - 1; k >= 0; k--) {
                    args[k] = stack.pop();
                }
                stack.push(m.owner.substring(m.owner.lastIndexOf('/') + 1) + "." + m.name + "("
                        + String.join(", ", args) + ")");
            } else if (op == Opcodes.ALOAD && ((VarInsnNode) i).var == 0) {
                stack.push("this");
            } else if (sym != null && stack.size() >= 2) {
                String b = operand(stack.pop());
                String a = operand(stack.pop());
                stack.push(a + " " + sym + " " + b);
            } else if (op == Opcodes.ARRAYLENGTH && !stack.isEmpty()) {
                stack.push(operand(stack.pop()) + ".length");
            } else {
                return "…";
            }
        }
        return stack.size() == 1 ? stack.pop() : "…";
    }

    /** An operand of a binary operator: parenthesised when it is one itself. */
    private static String operand(String text) {
        return text.contains(" ") && !text.endsWith(")") ? "(" + text + ")" : text;
    }

    private static String localName(MethodNode m, int var) {
        if (m.localVariables != null) {
            for (org.objectweb.asm.tree.LocalVariableNode lv : m.localVariables) {
                if (lv.index == var) {
                    return lv.name;
                }
            }
        }
        return "local" + var;
    }

    private static final Map<Integer, String> BINARY = Map.of(Opcodes.IADD, "+", Opcodes.ISUB, "-", Opcodes.IMUL,
            "*", Opcodes.IDIV, "/", Opcodes.IREM, "%", Opcodes.ISHL, "<<", Opcodes.ISHR, ">>", Opcodes.IUSHR, ">>>",
            Opcodes.IAND, "&", Opcodes.IOR, "|");

    /** {@code NEWARRAY}'s operand to the element's descriptor. */
    public static final Map<Integer, String> ARRAY_ELEMENTS = Map.of(Opcodes.T_BOOLEAN, "Z", Opcodes.T_CHAR, "C",
            Opcodes.T_FLOAT, "F", Opcodes.T_DOUBLE, "D", Opcodes.T_BYTE, "B", Opcodes.T_SHORT, "S", Opcodes.T_INT, "I",
            Opcodes.T_LONG, "J");

    private static String signature(MethodNode ctor) {
        StringBuilder s = new StringBuilder("(");
        for (Type t : Type.getArgumentTypes(ctor.desc)) {
            s.append(s.length() > 1 ? ", " : "").append(t.getClassName());
        }
        return s.append(')').toString();
    }

    /**
     * The value of an int-constant instruction.
     *
     * @param insn any instruction, or {@code null}
     * @return the constant, or {@code null} when the instruction pushes no int constant
     */
    static @Nullable Integer intConstant(AbstractInsnNode insn) {
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

    static AbstractInsnNode next(AbstractInsnNode insn) {
        AbstractInsnNode n = insn.getNext();
        while (n != null && n.getOpcode() < 0) {
            n = n.getNext();
        }
        return n;
    }

    private static AbstractInsnNode previous(AbstractInsnNode insn) {
        AbstractInsnNode p = insn.getPrevious();
        while (p != null && p.getOpcode() < 0) {
            p = p.getPrevious();
        }
        return p;
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
