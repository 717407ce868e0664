package dev.shelf.agent;

import dev.shelf.agent.emit.RuntimeAbi;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Printer;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated code is linked to the pool runtime by name and descriptor only: a runtime method renamed or removed
 * would fail only when that code runs ({@code NoSuchMethodError}, {@code AbstractMethodError}). {@link RuntimeAbi} is
 * the one table of those names; this resolves every entry of it against the runtime's classes, and checks that the
 * generators name nothing in the runtime that is not in the table.
 */
class RuntimeContractTest {

    private static final String RECYCLABLE = RuntimeAbi.RECYCLABLE.internalName();

    /** The table: every public static field of {@link RuntimeAbi}, so that a new entry is checked without a listing. */
    private static Map<String, Object> table() throws IllegalAccessException {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (Field f : RuntimeAbi.class.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers()) && Modifier.isStatic(f.getModifiers())) {
                entries.put(f.getName(), f.get(null));
            }
        }
        return entries;
    }

    private static <T> Map<String, T> entries(Class<T> kind) throws IllegalAccessException {
        Map<String, T> out = new LinkedHashMap<>();
        table().forEach((name, e) -> {
            if (kind.isInstance(e)) {
                out.put(name, kind.cast(e));
            }
        });
        return out;
    }

    private static Class<?> runtimeClass(String internalName) throws ClassNotFoundException {
        return Class.forName(internalName.replace('/', '.'), false, RuntimeContractTest.class.getClassLoader());
    }

    @Test
    void everyEntryOfTheTableResolvesAgainstTheRuntime() throws Exception {
        Map<String, Object> table = table();
        assertThat(table.values()).as("the table holds only entries")
                .allMatch(e -> e instanceof RuntimeAbi.Call || e instanceof RuntimeAbi.Callback
                        || e instanceof RuntimeAbi.RuntimeType);
        List<String> problems = new ArrayList<>();

        Map<String, RuntimeAbi.RuntimeType> types = entries(RuntimeAbi.RuntimeType.class);
        for (Map.Entry<String, RuntimeAbi.RuntimeType> e : types.entrySet()) {
            Class<?> c = runtimeClass(e.getValue().internalName());
            if (!Modifier.isPublic(c.getModifiers()) || c.isInterface() != e.getValue().isInterface()) {
                problems.add(e.getKey() + ": " + c + " is not a public " + (e.getValue().isInterface() ? "interface"
                        : "class"));
            }
        }

        Map<String, RuntimeAbi.Call> calls = entries(RuntimeAbi.Call.class);
        for (Map.Entry<String, RuntimeAbi.Call> e : calls.entrySet()) {
            RuntimeAbi.Call call = e.getValue();
            Class<?> owner = runtimeClass(call.owner());
            Method m = Arrays.stream(owner.getMethods()).filter(x -> x.getName().equals(call.name())
                    && Type.getMethodDescriptor(x).equals(call.descriptor())).findFirst().orElse(null);
            String kind = Printer.OPCODES[call.opcode()];
            if (!Modifier.isPublic(owner.getModifiers())) {
                problems.add(e.getKey() + ": " + owner + " is not public");
            } else if (m == null) {
                problems.add(e.getKey() + ": no public " + call.owner() + "." + call.name() + call.descriptor());
            } else if (Modifier.isStatic(m.getModifiers()) != call.isStatic()) {
                problems.add(e.getKey() + ": " + m + " called with " + kind);
            } else if (owner.isInterface() != (call.opcode() == Opcodes.INVOKEINTERFACE) && !call.isStatic()) {
                problems.add(e.getKey() + ": " + m + " called with " + kind);
            } else if (call.opcode() != Opcodes.INVOKESTATIC && call.opcode() != Opcodes.INVOKEVIRTUAL
                    && call.opcode() != Opcodes.INVOKEINTERFACE) {
                problems.add(e.getKey() + ": " + kind + " is not a call into the runtime");
            }
        }

        // the callbacks are exactly Recyclable's instance methods: one added to the interface needs an entry (and,
        // if abstract, a generator), one generated but dropped from the interface would never be called
        Set<String> recyclable = Arrays.stream(runtimeClass(RECYCLABLE).getDeclaredMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && Modifier.isPublic(m.getModifiers()))
                .map(m -> m.getName() + Type.getMethodDescriptor(m)).collect(Collectors.toCollection(TreeSet::new));
        Set<String> callbacks = entries(RuntimeAbi.Callback.class).values().stream()
                .map(c -> c.name() + c.descriptor()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(callbacks).as("the table's callbacks are Recyclable's methods").isEqualTo(recyclable);

        assertThat(problems).as("table entries the runtime does not have").isEmpty();
        assertThat(types).as("types").isNotEmpty();
        assertThat(calls).as("calls").isNotEmpty();
    }

    /**
     * Rewrites every corpus class, in normal and in strict mode, and collects what the rewrite added that names the
     * runtime — calls, field accesses, interfaces, field types. Each must be an entry of the table: a generator that
     * writes a runtime name of its own fails here.
     */
    @Test
    void generatedCodeNamesTheRuntimeOnlyThroughTheTable() throws Exception {
        Set<String> tableCalls = new TreeSet<>();
        for (RuntimeAbi.Call c : entries(RuntimeAbi.Call.class).values()) {
            tableCalls.add(reference(c.opcode(), c.owner(), c.name(), c.descriptor()));
        }
        Set<String> tableTypes = entries(RuntimeAbi.RuntimeType.class).values().stream()
                .map(RuntimeAbi.RuntimeType::internalName).collect(Collectors.toSet());

        Set<String> generatedCalls = new TreeSet<>();
        Set<String> outside = new TreeSet<>();
        int rewritten = 0;
        for (boolean strict : new boolean[] {false, true}) {
            ShelfTestLoader loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS, strict);
            for (String name : corpusClassNames()) {
                loader.loadClass(name);
            }
            for (Map.Entry<String, byte[]> e : loader.transformed().entrySet()) {
                rewritten++;
                ClassNode before = read(ShelfTestLoader.originalBytes(e.getKey()));
                ClassNode after = read(e.getValue());
                Map<String, Integer> added = runtimeReferences(after);
                runtimeReferences(before).forEach((ref, n) -> added.merge(ref, -n, Integer::sum));
                added.forEach((ref, n) -> {
                    if (n > 0) {
                        (tableCalls.contains(ref) ? generatedCalls : outside).add(ref + "  (in " + e.getKey() + ")");
                    }
                });
                for (String itf : after.interfaces) {
                    if (!before.interfaces.contains(itf) && isRuntime(itf) && !tableTypes.contains(itf)) {
                        outside.add("implements " + itf + "  (in " + e.getKey() + ")");
                    }
                }
                for (FieldNode f : after.fields) {
                    Type t = Type.getType(f.desc);
                    if (t.getSort() == Type.OBJECT && isRuntime(t.getInternalName())
                            && !tableTypes.contains(t.getInternalName())) {
                        outside.add("field " + f.name + " " + f.desc + "  (in " + e.getKey() + ")");
                    }
                }
                if (!before.interfaces.contains(RECYCLABLE) && after.interfaces.contains(RECYCLABLE)) {
                    for (Method m : runtimeClass(RECYCLABLE).getMethods()) {
                        boolean declared = after.methods.stream().anyMatch(x -> x.name.equals(m.getName())
                                && x.desc.equals(Type.getMethodDescriptor(m)));
                        if (Modifier.isAbstract(m.getModifiers()) && !declared) {
                            outside.add("abstract " + m.getName() + " not generated  (in " + e.getKey() + ")");
                        }
                    }
                }
            }
        }
        assertThat(rewritten).as("rewritten corpus classes").isGreaterThan(50);
        assertThat(outside).as("runtime names the rewrite added that are not entries of RuntimeAbi").isEmpty();

        // and the other way round: every call in the table is one the generators make, but for the @Scratch array
        // methods of element types no corpus class has
        Set<String> made = generatedCalls.stream().map(s -> s.substring(0, s.indexOf("  (in ")))
                .collect(Collectors.toSet());
        Set<String> unused = new TreeSet<>(tableCalls);
        unused.removeAll(made);
        unused.removeIf(s -> s.contains("/Reuse.scratch"));
        assertThat(unused).as("table calls no corpus class's generated code makes").isEmpty();
    }

    private static String reference(int opcode, String owner, String name, String desc) {
        return Printer.OPCODES[opcode] + " " + owner + "." + name + (desc.startsWith("(") ? "" : ":") + desc;
    }

    private static boolean isRuntime(String internalName) {
        return internalName.startsWith("dev/shelf/") && !internalName.startsWith("dev/shelf/corpus/");
    }

    /** How often each method or field of the runtime is referenced from the class's code. */
    private static Map<String, Integer> runtimeReferences(ClassNode cls) {
        Map<String, Integer> refs = new HashMap<>();
        for (MethodNode m : cls.methods) {
            for (AbstractInsnNode i : m.instructions) {
                if (i instanceof MethodInsnNode c && isRuntime(c.owner)) {
                    refs.merge(reference(c.getOpcode(), c.owner, c.name, c.desc), 1, Integer::sum);
                } else if (i instanceof FieldInsnNode f && isRuntime(f.owner)) {
                    refs.merge(reference(f.getOpcode(), f.owner, f.name, f.desc), 1, Integer::sum);
                }
            }
        }
        return refs;
    }

    private static ClassNode read(byte[] bytes) {
        ClassNode cls = new ClassNode(Opcodes.ASM9);
        new ClassReader(bytes).accept(cls, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return cls;
    }

    private static List<String> corpusClassNames() throws Exception {
        Path dir = Path.of(RuntimeContractTest.class.getClassLoader().getResource("dev/shelf/corpus/Sites.class")
                .toURI()).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                    .map(n -> ReinitCorpusTest.CORPUS + "." + n.substring(0, n.length() - ".class".length()))
                    .sorted().toList();
        }
    }
}
