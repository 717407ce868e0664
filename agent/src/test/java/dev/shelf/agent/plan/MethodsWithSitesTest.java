package dev.shelf.agent.plan;

import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolingDecisions;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte-level walk that picks the methods to parse finds exactly the methods whose parsed instructions have a
 * {@code new} of a pooled class.
 */
class MethodsWithSitesTest {

    /** Pretends the given classes are pooled. */
    private static Decisions pooling(Set<String> pooled) {
        return new PoolingDecisions(pooled::contains, "()V");
    }

    /** The answer from the parsed tree: methods with a NEW of a pooled class. */
    private static Set<String> fromTree(byte[] bytes, Decisions decisions) {
        ClassNode cls = new ClassNode();
        new ClassReader(bytes).accept(cls, ClassReader.SKIP_FRAMES);
        Set<String> out = new TreeSet<>();
        for (MethodNode m : cls.methods) {
            for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
                if (insn.getOpcode() == Opcodes.NEW
                        && decisions.decide(((TypeInsnNode) insn).desc).poolsAllocations()) {
                    out.add(m.name + m.desc);
                }
            }
        }
        return out;
    }

    @Test
    void findsTheSameMethodsAsTheParsedTreeAcrossTheJdk() throws Exception {
        Decisions decisions = pooling(Set.of("java/lang/StringBuilder", "java/util/ArrayList",
                "java/lang/IllegalArgumentException", "java/util/HashMap"));
        List<Path> files = new ArrayList<>();
        for (String pkg : new String[]{"java/util", "java/util/concurrent", "java/time/format", "java/io", "java/lang"}) {
            try (Stream<Path> s = Files.list(FileSystems.getFileSystem(URI.create("jrt:/"))
                    .getPath("/modules/java.base", pkg))) {
                s.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
            }
        }
        int withSites = 0;
        for (Path p : files) {
            byte[] bytes = Files.readAllBytes(p);
            Map<String, Integer> where = MethodsWithSites.find(new ClassReader(bytes), decisions);
            assertThat(where).as(p.toString()).isNotNull();
            Set<String> found = where.keySet();
            assertThat(new TreeSet<>(found)).as(p.toString()).isEqualTo(fromTree(bytes, decisions));
            withSites += found.isEmpty() ? 0 : 1;
        }
        assertThat(withSites).as("classes with a site").isGreaterThan(100);
    }

    /** Wide loads and increments and both switches before the site: instruction lengths the walk must get right. */
    @Test
    void walksOverWideInstructionsAndSwitches() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "x/Odd", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "odd", "(I)Ljava/lang/Object;", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitVarInsn(Opcodes.ISTORE, 300); // wide istore
        mv.visitIincInsn(300, 1000); // wide iinc
        mv.visitVarInsn(Opcodes.ILOAD, 300);
        Label a = new Label();
        Label b = new Label();
        Label done = new Label();
        mv.visitTableSwitchInsn(0, 1, done, a, b);
        mv.visitLabel(a);
        mv.visitVarInsn(Opcodes.ILOAD, 0);
        mv.visitLookupSwitchInsn(done, new int[]{7, 0xBB}, new Label[]{b, done});
        mv.visitLabel(b);
        mv.visitIntInsn(Opcodes.SIPUSH, 0xBB00); // operand bytes that look like NEW
        mv.visitInsn(Opcodes.POP);
        mv.visitLabel(done);
        mv.visitTypeInsn(Opcodes.NEW, "x/Pooled");
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "x/Pooled", "<init>", "()V", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        MethodVisitor plain = cw.visitMethod(Opcodes.ACC_STATIC, "plain", "()Ljava/lang/Object;", null, null);
        plain.visitCode();
        plain.visitTypeInsn(Opcodes.NEW, "x/Other");
        plain.visitInsn(Opcodes.DUP);
        plain.visitMethodInsn(Opcodes.INVOKESPECIAL, "x/Other", "<init>", "()V", false);
        plain.visitInsn(Opcodes.ARETURN);
        plain.visitMaxs(0, 0);
        plain.visitEnd();
        cw.visitEnd();
        byte[] bytes = cw.toByteArray();

        assertThat(MethodsWithSites.find(new ClassReader(bytes), pooling(Set.of("x/Pooled"))).keySet())
                .containsExactly("odd(I)Ljava/lang/Object;");
        assertThat(MethodsWithSites.find(new ClassReader(bytes), pooling(Set.of("x/Other"))).keySet())
                .containsExactly("plain()Ljava/lang/Object;");
        assertThat(MethodsWithSites.find(new ClassReader(bytes), pooling(Set.of()))).isEmpty();
    }

    /** {@code new @Pooled T()} pools sites of classes that are not pooled themselves: every method is parsed. */
    @Test
    void aClassMentioningPooledIsParsedWhole() throws Exception {
        byte[] bytes;
        try (var in = getClass().getClassLoader().getResourceAsStream("dev/shelf/corpus/AnnotatedSites.class")) {
            bytes = in.readAllBytes();
        }
        assertThat(MethodsWithSites.find(new ClassReader(bytes), pooling(Set.of()))).isNull();
    }
}
