package dev.shelf.agent;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the generated static initialiser passes to {@code ShelfRegistry.register(Class, int, int, String)}: the owned
 * primitive arrays of constant length the re-initialiser keeps (the pool's size estimate: the runtime reads no class
 * files) and the arrays reuse makes anew (the exit report's advisory). Its runtime side: {@code SizeEstimateTest}.
 */
class RegistrationFieldsTest {

    @Test
    void keptArraysOfConstantLengthAndRemadeOnesAreDeclared() throws Exception {
        String name = ReinitCorpusTest.CORPUS + ".EstimatedBuffers";
        ShelfTestLoader loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        loader.loadClass(name);
        List<String> lines = Arrays.asList(registrationString(loader.transformed().get(name)).split("\n"));

        assertThat(lines).filteredOn(l -> l.startsWith("kept\t")).containsExactlyInAnyOrder(
                "kept\tbody\t" + align(16 + 16 * 1024),
                "kept\tscratch\t" + align(16 + 4 * 8));
        assertThat(lines).filteredOn(l -> l.startsWith("remade\t")).extracting(l -> l.split("\t")[1])
                .containsExactlyInAnyOrder("exposed", "reassigned");
        assertThat(lines).filteredOn(l -> l.startsWith("remade\texposed\t"))
                .singleElement().asString().startsWith("remade\texposed\t" + align(16 + 1000) + "\t");
        assertThat(lines).as("an array initialiser is re-run by the re-initialiser, not kept")
                .noneMatch(l -> l.startsWith("kept\toffsets\t"));
        assertThat(lines).as("computed length: kept, but its size is measured on objects, not declared")
                .noneMatch(l -> l.contains("\tsized\t"));
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** The string constant pushed right before the registration call in the static initialiser. */
    private static String registrationString(byte[] classFile) {
        ClassNode cls = new ClassNode();
        new ClassReader(classFile).accept(cls, 0);
        for (MethodNode m : cls.methods) {
            if (!m.name.equals("<clinit>")) {
                continue;
            }
            for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
                if (i instanceof MethodInsnNode call && call.name.equals("register")
                        && call.desc.startsWith("(Ljava/lang/Class;IILjava/lang/String;)")
                        && call.getPrevious() instanceof LdcInsnNode ldc && ldc.cst instanceof String s) {
                    return s;
                }
            }
        }
        throw new AssertionError("no registration with a field description in " + cls.name);
    }
}
