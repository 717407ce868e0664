package dev.shelf.agent;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated code calls the pool runtime by name and descriptor, written as strings in the generators: a runtime
 * method renamed or removed would only fail when that code runs ({@code NoSuchMethodError}). This rewrites every
 * corpus class and checks that every call into {@code dev.shelf} resolves to a public method of the runtime with
 * exactly that name and descriptor.
 */
class RuntimeContractTest {

    @Test
    void everyRuntimeMethodTheGeneratedCodeCallsExists() throws Exception {
        ShelfTestLoader loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        for (String name : List.of("ComputedBuffers", "ScratchBuffers", "OwnedBuffers", "Growing", "NotOwned",
                "Primitives", "PooledChild", "Sites", "ScopedSites", "Level3")) {
            loader.loadClass(ReinitCorpusTest.CORPUS + "." + name);
        }
        Set<String> calls = new TreeSet<>();
        for (Map.Entry<String, byte[]> e : loader.transformed().entrySet()) {
            new ClassReader(e.getValue()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String n, String d, String s, String[] x) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMethodInsn(int op, String owner, String method, String desc, boolean itf) {
                            if (owner.startsWith("dev/shelf/") && !owner.startsWith("dev/shelf/corpus/")) {
                                calls.add(owner + "." + method + desc);
                            }
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
        assertThat(calls).as("the corpus exercises the generators' runtime calls")
                .anyMatch(c -> c.contains("Reuse.bytesOf")).anyMatch(c -> c.contains("Reuse.emptied"))
                .anyMatch(c -> c.contains("Reuse.scratchBytes")).anyMatch(c -> c.contains("Reuse.bytes("));
        List<String> missing = new ArrayList<>();
        for (String call : calls) {
            int dot = call.lastIndexOf('.', call.indexOf('('));
            Class<?> owner = Class.forName(call.substring(0, dot).replace('/', '.'));
            String method = call.substring(dot + 1, call.indexOf('('));
            String desc = call.substring(call.indexOf('('));
            boolean found = Arrays.stream(owner.getMethods()).anyMatch(m -> m.getName().equals(method)
                    && Type.getMethodDescriptor(m).equals(desc)) || method.equals("<init>");
            if (!found) {
                missing.add(call);
            }
        }
        assertThat(missing).as("runtime methods the generated code calls but the runtime lacks").isEmpty();
    }
}
