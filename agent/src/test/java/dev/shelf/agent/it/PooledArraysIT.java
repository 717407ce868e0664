package dev.shelf.agent.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code new @Pooled byte[n]} in a program outside the repository, run with the built agent jar in a forked JVM: a
 * loop takes a buffer, checks it is zeroed, dirties it and gives it back with {@code Shelf.release}.
 */
class PooledArraysIT {

    private static final String BUFFERS = """
            package outside;

            import dev.shelf.Pooled;
            import dev.shelf.Shelf;

            public class Buffers {
                public static void main(String[] args) {
                    int zeroed = 0;
                    int same = 0;
                    long total = 0;
                    byte[] last = null;
                    for (int i = 0; i < 1000; i++) {
                        byte[] b = new @Pooled byte[4096];
                        boolean zero = true;
                        for (byte x : b) {
                            zero &= x == 0;
                        }
                        zeroed += zero ? 1 : 0;
                        same += b == last ? 1 : 0;
                        total += b.length;
                        b[i % b.length] = 1;
                        b[0] = 7;
                        last = b;
                        Shelf.release(b);
                    }
                    System.out.println("zeroed=" + zeroed + " total=" + total + " type=" + last.getClass().getTypeName());
                    System.out.println("reused=" + same);
                }
            }
            """;

    private static final String LEAKY = """
            package outside;

            import dev.shelf.Pooled;
            import dev.shelf.Shelf;

            public class LeakyBuffers {
                static long work(int i) {
                    byte[] b = new @Pooled byte[2048];
                    b[i % b.length] = 1;
                    return b.length + b[0];
                }

                static long acquired() {
                    return Shelf.stats().pool("byte[2048]").map(p -> p.acquired()).orElse(-1L);
                }

                public static void main(String[] args) throws Exception {
                    long sum = 0;
                    for (int i = 0; i < 30_000; i++) sum += work(i);
                    Thread.sleep(2_500);
                    long before = acquired();
                    for (int i = 0; i < 30_000; i++) sum += work(i);
                    System.out.println("acquired during the second loop=" + (acquired() - before));
                    System.out.println("sum=" + sum);
                }
            }
            """;

    static OutsideProgram program;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        program = OutsideProgram.compile(dir, Map.of("Buffers.java", BUFFERS, "LeakyBuffers.java", LEAKY));
    }

    private static OutsideProgram.Run run(String home, String agentArg) throws Exception {
        return program.run(home, List.of(), agentArg, Map.of(), "outside.Buffers");
    }

    private static List<String> arrayShelfCalls(byte[] classFile) {
        ClassNode cls = new ClassNode(Opcodes.ASM9);
        new ClassReader(classFile).accept(cls, 0);
        List<String> calls = new ArrayList<>();
        for (MethodNode m : cls.methods) {
            for (AbstractInsnNode i : m.instructions) {
                if (i instanceof MethodInsnNode c && c.owner.equals("dev/shelf/internal/ArrayShelf")) {
                    calls.add(m.name + ": " + c.name + c.desc);
                }
            }
        }
        return calls;
    }

    @Test
    void theSiteIsRewrittenAndTheProgramsOutputIsUnchangedOnBothJdks(@TempDir Path dir) throws Exception {
        for (String home : List.of(System.getProperty("java.home"), OutsideProgram.jdk25())) {
            Path dump = dir.resolve("dump-" + home.hashCode());
            OutsideProgram.Run r = run(home, "=explain=true,dump.dir=" + dump);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).as(home).contains("zeroed=1000 total=4096000 type=byte[]");
            assertThat(r.out()).as("the released array comes back on the next iteration").contains("reused=999");
            assertThat(r.err()).as(home).containsPattern(
                    "rewrote outside\\.Buffers\\.main\\(\\[Ljava/lang/String;\\)V: new @Pooled byte\\[] \\(line \\d+\\)");
            assertThat(r.err()).as(home).contains("outside.Buffers: written by ReplaceChangedMethods")
                    .contains("is a pooled array (new @Pooled byte[])");
            assertThat(arrayShelfCalls(Files.readAllBytes(dump.resolve("outside/Buffers.class"))))
                    .containsExactly("main: bytes(II)[B");
        }
    }

    @Test
    void anArraySiteWhoseArraysNeverComeBackIsTurnedBackIntoPlainNew() throws Exception {
        for (String home : List.of(System.getProperty("java.home"), OutsideProgram.jdk25())) {
            OutsideProgram.Run r = program.run(home, List.of(), "=report=exit", Map.of(), "outside.LeakyBuffers");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).as(home).contains("acquired during the second loop=0")
                    .contains("sum=" + 2 * (30_000L * 2048 + 15)); // b[0] is 1 where i % 2048 == 0: 15 times a loop
            assertThat(r.err()).as(home).contains("[shelf] site outside.LeakyBuffers.work:")
                    .contains("(new byte[2048]) turned back into a plain new");
        }
    }

    @Test
    void withoutTheAgentTheProgramAllocates() throws Exception {
        OutsideProgram.Run r = run(System.getProperty("java.home"), null);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("zeroed=1000 total=4096000 type=byte[]");
        assertThat(arrayShelfCalls(Files.readAllBytes(program.classes.resolve("outside/Buffers.class")))).isEmpty();
    }

    @Test
    void aWarmStartTakesTheRewrittenClassFromTheCacheDir(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Files.createDirectories(cache);
        String taken = "outside.Buffers: rewritten form taken from shelf.cache.dir";
        OutsideProgram.Run cold = run(System.getProperty("java.home"), "=cache.dir=" + cache + ",explain=true");
        assertThat(cold.exit()).as(cold.err()).isZero();
        assertThat(cold.err()).doesNotContain(taken);
        OutsideProgram.Run warm = run(System.getProperty("java.home"), "=cache.dir=" + cache + ",explain=true");
        assertThat(warm.exit()).as(warm.err()).isZero();
        assertThat(warm.err()).contains(taken).containsPattern("rewrote outside\\.Buffers\\.main.*new @Pooled byte\\[]");
        assertThat(warm.out()).contains("zeroed=1000 total=4096000 type=byte[]");
    }
}
