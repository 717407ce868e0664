package dev.shelf.agent.classfile;

import dev.shelf.agent.ShelfTransformer;
import dev.shelf.agent.loaders.RuntimeBridge;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.RecordComponentNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte-level scan must see exactly what ASM's reader sees: the same constructed (and, in strict mode, field)
 * owners and the same {@code @Pooled} marker, over every class of the test corpus, the agent itself, and JDK
 * classes with longs, doubles, method handles and dynamic constants in their pools.
 */
public class ClassFileScanTest {

    @Test
    void agreesWithAsmOnEveryClassOfTheCorpusTheAgentAndSomeJdkClasses() throws Exception {
        List<byte[]> classes = new ArrayList<>();
        for (Path root : List.of(classesRoot(dev.shelf.corpus.Pair.class), classesRoot(ShelfTransformer.class))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    classes.add(Files.readAllBytes(f));
                }
            }
        }
        for (Class<?> c : List.of(String.class, Long.class, Double.class, java.util.HashMap.class,
                java.lang.invoke.MethodHandles.class, java.util.concurrent.ConcurrentHashMap.class,
                ClassLoader.class, java.net.URLClassLoader.class)) {
            try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                classes.add(in.readAllBytes());
            }
        }
        assertThat(classes).hasSizeGreaterThan(100);
        int pooled = 0;
        int typeAnnotated = 0;
        int withoutTypeAnnotations = 0;
        int constructsApplicationClasses = 0;
        for (byte[] bytes : classes) {
            ClassFileScan scan = ClassFileScan.of(bytes);
            String name = new ClassReader(bytes).getClassName();
            assertThat(scan).as(name).isNotNull();
            for (boolean strict : new boolean[] {false, true}) {
                Set<String> asm = new LinkedHashSet<>(ConstantPoolScan.referencedOwners(new ClassReader(bytes), strict));
                asm.removeIf(o -> o.startsWith("java/"));
                assertThat(new LinkedHashSet<>(scan.referencedOwners(strict))).as(name + " strict=" + strict)
                        .containsExactlyElementsOf(asm);
            }
            assertThat(scan.constructsOutsidePlatform()).as(name + ": constructs an application class")
                    .isEqualTo(scan.referencedOwners(false).stream().anyMatch(o -> !ShelfNames.isPlatformOrShelf(o)));
            constructsApplicationClasses += scan.constructsOutsidePlatform() ? 1 : 0;
            assertThat(scan.mentionsPooled).as(name).isEqualTo(ShelfNames.mentionsPooled(bytes));
            pooled += scan.mentionsPooled ? 1 : 0;
            // The safe direction: a class with any type annotation (a `new @Pooled T()` is one) is never missed.
            boolean annotated = hasTypeAnnotation(bytes);
            if (annotated) {
                assertThat(scan.hasTypeAnnotations).as(name + " has type annotations").isTrue();
            }
            typeAnnotated += annotated ? 1 : 0;
            withoutTypeAnnotations += scan.hasTypeAnnotations ? 0 : 1;
        }
        assertThat(pooled).as("corpus classes that mention @Pooled").isGreaterThan(10);
        assertThat(constructsApplicationClasses).as("classes that construct a non-JDK class").isGreaterThan(10)
                .isLessThan(classes.size());
        assertThat(typeAnnotated).as("classes with type annotations").isGreaterThan(0);
        assertThat(withoutTypeAnnotations).as("classes without").isGreaterThan(100);
    }

    @Test
    void aSecondInitNameInThePoolStillFindsEveryConstructedClass() throws Exception {
        byte[] bytes;
        try (InputStream in = dev.shelf.corpus.Sites.class.getResourceAsStream("Sites.class")) {
            bytes = in.readAllBytes();
        }
        // A constant pool may repeat an entry (javac never does; other compilers and tools may).
        int poolEnd = new ClassReader(bytes).header;
        byte[] extra = {1, 0, 6, '<', 'i', 'n', 'i', 't', '>'};
        byte[] twice = new byte[bytes.length + extra.length];
        System.arraycopy(bytes, 0, twice, 0, poolEnd);
        System.arraycopy(extra, 0, twice, poolEnd, extra.length);
        System.arraycopy(bytes, poolEnd, twice, poolEnd + extra.length, bytes.length - poolEnd);
        int count = ((twice[8] & 0xFF) << 8 | (twice[9] & 0xFF)) + 1;
        twice[8] = (byte) (count >> 8);
        twice[9] = (byte) count;

        List<String> owners = ClassFileScan.of(twice).referencedOwners(false);
        assertThat(owners).isEqualTo(ClassFileScan.of(bytes).referencedOwners(false))
                .contains("dev/shelf/corpus/Primitives");
        Set<String> asm = new LinkedHashSet<>(ConstantPoolScan.referencedOwners(new ClassReader(twice), false));
        asm.removeIf(o -> o.startsWith("java/"));
        assertThat(new LinkedHashSet<>(owners)).containsExactlyElementsOf(asm);
    }

    @Test
    void recognisesClassLoadersThatMayOverrideLoadClassAndClassesThatNameTheRuntime() throws IOException {
        assertThat(scan(ClassLoader.class).mayDeclareLoadClass).isTrue();
        assertThat(scan(String.class).mayDeclareLoadClass).isFalse();
        assertThat(scan(ShelfTransformer.class).mayDeclareLoadClass).isFalse();
        assertThat(scan(RuntimeBridge.class).namesRuntime).isTrue();
        assertThat(scan(String.class).namesRuntime).isFalse();
    }

    @Test
    void refusesWhatIsNotAClassFile() {
        assertThat(ClassFileScan.of(new byte[0])).isNull();
        assertThat(ClassFileScan.of("not a class file at all".getBytes())).isNull();
        byte[] truncated = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 5, 1, 0, 3, 'a'};
        assertThat(ClassFileScan.of(truncated)).isNull();
    }

    /** Whether ASM finds a type annotation anywhere in the class: on the class, a member, or in code. */
    private static boolean hasTypeAnnotation(byte[] bytes) {
        ClassNode cls = new ClassNode();
        new ClassReader(bytes).accept(cls, 0);
        boolean any = some(cls.visibleTypeAnnotations, cls.invisibleTypeAnnotations);
        for (FieldNode f : cls.fields) {
            any |= some(f.visibleTypeAnnotations, f.invisibleTypeAnnotations);
        }
        for (RecordComponentNode r : cls.recordComponents == null ? List.<RecordComponentNode>of()
                : cls.recordComponents) {
            any |= some(r.visibleTypeAnnotations, r.invisibleTypeAnnotations);
        }
        for (MethodNode m : cls.methods) {
            any |= some(m.visibleTypeAnnotations, m.invisibleTypeAnnotations)
                    || some(m.visibleLocalVariableAnnotations, m.invisibleLocalVariableAnnotations);
            for (AbstractInsnNode insn : m.instructions) {
                any |= some(insn.visibleTypeAnnotations, insn.invisibleTypeAnnotations);
            }
            for (TryCatchBlockNode t : m.tryCatchBlocks) {
                any |= some(t.visibleTypeAnnotations, t.invisibleTypeAnnotations);
            }
        }
        return any;
    }

    private static boolean some(List<?> visible, List<?> invisible) {
        return (visible != null && !visible.isEmpty()) || (invisible != null && !invisible.isEmpty());
    }

    private static ClassFileScan scan(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return ClassFileScan.of(in.readAllBytes());
        }
    }

    private static Path classesRoot(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
