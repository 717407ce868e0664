package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.ClassHierarchy;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.decide.PoolingDecisions;

import net.bytebuddy.dynamic.ClassFileLocator;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A method whose sites were all paired straight-line keeps the stack map frames javac wrote; one with a data-flow
 * paired site gets frames computed by ASM. The two are told apart by a local javac declares as {@code Object} but
 * ASM's frame computation types as {@code String}, the value it actually holds.
 */
class KeptFramesTest {

    private static final String TARGET = "dev/shelf/agent/emit/FrameShapes$Target";

    private static byte[] bytesOf(String internalName) throws Exception {
        try (InputStream in = KeptFramesTest.class.getClassLoader().getResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    /** The FRAME lines of a method's listing. */
    private static String frames(byte[] bytes, String method) {
        ClassNode cls = new ClassNode();
        new ClassReader(bytes).accept(cls, 0);
        for (MethodNode m : cls.methods) {
            if (m.name.equals(method)) {
                Textifier text = new Textifier();
                m.accept(new TraceMethodVisitor(text));
                StringWriter w = new StringWriter();
                text.print(new PrintWriter(w));
                return w.toString().lines().filter(l -> l.trim().startsWith("FRAME"))
                        .collect(Collectors.joining("\n"));
            }
        }
        throw new AssertionError(method);
    }

    private static Decisions targetPooled() {
        return new PoolingDecisions(TARGET::equals, "(Ljava/lang/Object;I)V");
    }

    /** A class with both kinds of methods computes all its changed methods' frames (one ASM writer mode). */
    @Test
    void straightLineSitesKeepJavacsFramesBranchySitesGetComputedOnes() throws Exception {
        ClassHierarchy types = new ClassHierarchy(ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));
        byte[] straight = bytesOf("dev/shelf/agent/emit/FrameShapes");
        ClassRewriter.Result kept = ClassRewriter.rewrite(straight, PoolDecision.NOT_POOLED, targetPooled(), types,
                true, false, (pooled, site) -> 7);
        assertThat(kept.sites()).hasSize(1);
        assertThat(frames(straight, "straight")).contains("java/lang/Object");
        assertThat(frames(kept.bytes(), "straight")).as("javac's frames, kept")
                .isEqualTo(frames(straight, "straight"));
        Class<?> verified = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass("dev.shelf.agent.emit.FrameShapes", kept.bytes(), 0, kept.bytes().length);
            }
        }.define();
        assertThat(Class.forName(verified.getName(), true, verified.getClassLoader()))
                .as("linked, so verified with the kept frames").isSameAs(verified);

        byte[] branchy = bytesOf("dev/shelf/agent/emit/BranchyFrameShapes");
        ClassRewriter.Result computed = ClassRewriter.rewrite(branchy, PoolDecision.NOT_POOLED, targetPooled(),
                types, true, false, (pooled, site) -> 7);
        assertThat(computed.sites()).hasSize(1);
        assertThat(frames(branchy, "branchy")).contains("java/lang/Object");
        assertThat(frames(computed.bytes(), "branchy")).as("computed by ASM").contains("java/lang/String");
    }
}
