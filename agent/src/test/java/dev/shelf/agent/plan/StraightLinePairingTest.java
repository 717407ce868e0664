package dev.shelf.agent.plan;

import dev.shelf.agent.emit.ClassRewriter;
import dev.shelf.agent.emit.SiteRewriter;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cheap, linear pairing of {@code new} with {@code <init>} ({@link StraightLinePairing}) finds exactly what the
 * data-flow analysis finds wherever it answers, and gives up on every shape it cannot prove.
 */
class StraightLinePairingTest {

    private static final String SHAPES = "dev/shelf/agent/plan/PairingShapes";

    private static ClassNode parse(byte[] bytes) {
        ClassNode cls = new ClassNode(Opcodes.ASM9);
        new ClassReader(bytes).accept(cls, ClassReader.SKIP_FRAMES); // as ClassRewriter reads classes
        return cls;
    }

    private static ClassNode testClass(String internalName) throws IOException {
        try (InputStream in = StraightLinePairingTest.class.getClassLoader()
                .getResourceAsStream(internalName + ".class")) {
            return parse(in.readAllBytes());
        }
    }

    private static MethodNode method(ClassNode cls, String name, String descPrefix) {
        for (MethodNode m : cls.methods) {
            if (m.name.equals(name) && m.desc.startsWith(descPrefix)) {
                return m;
            }
        }
        throw new AssertionError(cls.name + " has no " + name + descPrefix);
    }

    /** Both pairings of one method agree: same sites (same instructions), same verdicts, same super/this call. */
    private static void assertSamePairing(String owner, MethodNode m, AllocationPairing cheap) throws AnalyzerException {
        AllocationPairing full = AllocationPairing.analyze(owner, m);
        String where = owner + "." + m.name + m.desc;
        assertThat(cheap.sites()).as("sites of " + where).isEqualTo(full.sites());
        assertThat(cheap.selfInit()).as("super/this call of " + where).isSameAs(full.selfInit());
        assertThat(cheap.selfInitProblem()).as(where).isEqualTo(full.selfInitProblem());
    }

    /** Pairs every method of a class both ways; returns {accepted by the cheap pass, given up, sites compared}. */
    private static int[] compareAll(ClassNode cls) throws AnalyzerException {
        int[] counts = new int[3];
        for (MethodNode m : cls.methods) {
            AllocationPairing cheap = StraightLinePairing.pair(m);
            if (cheap == null) {
                counts[1]++;
                continue;
            }
            counts[0]++;
            counts[2] += cheap.sites().size();
            assertSamePairing(cls.name, m, cheap);
        }
        return counts;
    }

    @Test
    void javacShapesPairAsTheDataFlowAnalysisPairsThem() throws Exception {
        List<String> classes = List.of(SHAPES, SHAPES + "$Inner", SHAPES + "$Pair", SHAPES + "$1");
        for (String c : classes) {
            compareAll(testClass(c));
        }
        ClassNode shapes = testClass(SHAPES);
        for (String accepted : new String[]{"nestedInArguments", "incrementsInArguments", "inLoop", "insideTry",
            "concatenationInArguments", "anonymous"}) {
            MethodNode m = method(shapes, accepted, "(");
            AllocationPairing cheap = StraightLinePairing.pair(m);
            assertThat(cheap).as(accepted + " is straight-line argument code").isNotNull();
            assertThat(cheap.sites()).as(accepted).isNotEmpty().allMatch(AllocationPairing.Site::rewritable);
        }
        assertThat(StraightLinePairing.pair(method(shapes, "nestedInArguments", "(")).sites())
                .extracting(s -> s.newInsn().desc).containsExactly(SHAPES + "$Pair", "java/lang/StringBuilder",
                        "java/lang/Object", "java/util/ArrayList", "java/lang/Object");
        MethodNode lambda = shapes.methods.stream().filter(m -> m.name.startsWith("lambda$insideLambda"))
                .findFirst().orElseThrow();
        assertThat(StraightLinePairing.pair(lambda).sites()).hasSize(3);

        MethodNode delegating = method(shapes, "<init>", "(I)");
        AllocationPairing cheap = StraightLinePairing.pair(delegating);
        assertThat(cheap).as("this(new ...)").isNotNull();
        assertThat(cheap.selfInit().owner).isEqualTo(SHAPES);
        assertThat(cheap.sites()).extracting(s -> s.newInsn().desc)
                .containsExactly("java/lang/StringBuilder", "java/lang/Object");
        MethodNode inner = method(testClass(SHAPES + "$Inner"), "<init>", "(L");
        assertThat(StraightLinePairing.pair(inner)).as("inner class: outer instance stored before super(new ...)")
                .isNotNull();
        assertThat(StraightLinePairing.pair(inner).selfInit().owner).isEqualTo("java/util/ArrayList");
    }

    @Test
    void branchyArgumentCodeFallsBackToTheDataFlowAnalysis() throws Exception {
        ClassNode shapes = testClass(SHAPES);
        for (String branchy : new String[]{"ternaryInArguments", "conditionalAndInArguments", "switchInArguments"}) {
            MethodNode m = method(shapes, branchy, "(");
            assertThat(StraightLinePairing.pair(m)).as(branchy + " has jumps inside an allocation").isNull();
            assertThat(AllocationPairing.pair(shapes.name, m, false).hasDataFlow()).isTrue();
        }
        assertThat(StraightLinePairing.pair(method(shapes, "<init>", "(Z)"))).as("this(flag ? a : b)").isNull();
    }

    /** A method built by hand (no class, no verifier): {@code static void m(int)}. */
    private static MethodNode handMade(String name, Object... insns) {
        MethodNode m = new MethodNode(Opcodes.ASM9, Opcodes.ACC_STATIC, name, "(I)V", null, null);
        for (Object insn : insns) {
            m.instructions.add((org.objectweb.asm.tree.AbstractInsnNode) insn);
        }
        m.maxStack = 8;
        m.maxLocals = 4;
        return m;
    }

    private static TypeInsnNode newOf(String type) {
        return new TypeInsnNode(Opcodes.NEW, type);
    }

    private static MethodInsnNode init(String type, String desc) {
        return new MethodInsnNode(Opcodes.INVOKESPECIAL, type, "<init>", desc, false);
    }

    @Test
    void shapesItCannotProveAreLeftToTheDataFlowAnalysis() throws Exception {
        LabelNode join = new LabelNode();
        // new A(flag ? new B() ... ) with the inner allocation on one path only: counting would pair wrongly
        MethodNode jumpInsideArguments = handMade("jump", newOf("A"), new InsnNode(Opcodes.DUP),
                new VarInsnNode(Opcodes.ILOAD, 0), new JumpInsnNode(Opcodes.IFEQ, join), newOf("B"),
                new InsnNode(Opcodes.DUP), init("B", "()V"), new InsnNode(Opcodes.POP), join, init("A", "()V"),
                new InsnNode(Opcodes.POP), new InsnNode(Opcodes.RETURN));
        MethodNode noDup = handMade("noDup", newOf("A"), new VarInsnNode(Opcodes.ASTORE, 1),
                new VarInsnNode(Opcodes.ALOAD, 1), init("A", "()V"), new InsnNode(Opcodes.RETURN));
        MethodNode swapReachesTheObject = handMade("swap", newOf("A"), new InsnNode(Opcodes.DUP),
                new InsnNode(Opcodes.ICONST_0), new InsnNode(Opcodes.SWAP), init("A", "(I)V"),
                new InsnNode(Opcodes.POP), new InsnNode(Opcodes.RETURN));
        MethodNode dupX1ReachesTheObject = handMade("dupX1", newOf("A"), new InsnNode(Opcodes.DUP),
                new InsnNode(Opcodes.ICONST_0), new InsnNode(Opcodes.DUP_X1), new InsnNode(Opcodes.POP),
                new InsnNode(Opcodes.POP), init("A", "(I)V"), new InsnNode(Opcodes.RETURN));
        MethodNode wrongReceiver = handMade("wrongReceiver", newOf("A"), new InsnNode(Opcodes.DUP), newOf("B"),
                new InsnNode(Opcodes.DUP), init("A", "(LB;)V"), new InsnNode(Opcodes.RETURN));
        LabelNode target = new LabelNode();
        MethodNode jumpedInto = handMade("jumpedInto", new VarInsnNode(Opcodes.ILOAD, 0),
                new JumpInsnNode(Opcodes.IFEQ, target), newOf("A"), new InsnNode(Opcodes.DUP),
                new InsnNode(Opcodes.ICONST_0), target, init("A", "(I)V"), new InsnNode(Opcodes.POP),
                new InsnNode(Opcodes.RETURN));
        for (MethodNode m : List.of(jumpInsideArguments, noDup, swapReachesTheObject, dupX1ReachesTheObject,
                wrongReceiver, jumpedInto)) {
            assertThat(StraightLinePairing.pair(m)).as(m.name + " must fall back").isNull();
        }
        AllocationPairing full = AllocationPairing.pair("X", jumpInsideArguments, false);
        assertThat(full.hasDataFlow()).isTrue();
        assertThat(full.sites()).as("the data-flow analysis follows both paths")
                .extracting(site -> site.newInsn().desc + "->" + site.init().owner).containsExactly("A->A", "B->B");

        MethodNode ctorOverwritingThis = new MethodNode(Opcodes.ASM9, 0, "<init>", "()V", null, null);
        ctorOverwritingThis.instructions.add(new VarInsnNode(Opcodes.ALOAD, 0));
        ctorOverwritingThis.instructions.add(init("java/lang/Object", "()V"));
        ctorOverwritingThis.instructions.add(new InsnNode(Opcodes.ACONST_NULL));
        ctorOverwritingThis.instructions.add(new VarInsnNode(Opcodes.ASTORE, 0));
        ctorOverwritingThis.instructions.add(new InsnNode(Opcodes.RETURN));
        assertThat(StraightLinePairing.pair(ctorOverwritingThis)).isNull();
    }

    @Test
    void deadCodeIsSkippedAsTheDataFlowAnalysisSkipsIt() throws Exception {
        LabelNode end = new LabelNode();
        MethodNode dead = handMade("dead", new JumpInsnNode(Opcodes.GOTO, end), newOf("A"),
                new InsnNode(Opcodes.DUP), init("A", "()V"), new InsnNode(Opcodes.POP), end, newOf("B"),
                new InsnNode(Opcodes.DUP), init("B", "()V"), new InsnNode(Opcodes.POP), new InsnNode(Opcodes.RETURN));
        AllocationPairing cheap = StraightLinePairing.pair(dead);
        assertThat(cheap).isNotNull();
        assertThat(cheap.sites()).extracting(s -> s.newInsn().desc).containsExactly("B");
        assertSamePairing("X", dead, cheap);
    }

    @Test
    void onlyTheDataFlowPairingAnswersEscapeQuestions() throws Exception {
        MethodNode m = method(testClass(SHAPES), "nestedInArguments", "(");
        AllocationPairing cheap = AllocationPairing.pair(SHAPES, m, false);
        assertThat(cheap.hasDataFlow()).isFalse();
        assertThatThrownBy(() -> cheap.escapeOf(cheap.sites().get(0))).isInstanceOf(IllegalStateException.class);
        AllocationPairing full = AllocationPairing.pair(SHAPES, m, true);
        assertThat(full.hasDataFlow()).isTrue();
        assertThat(full.escapeOf(full.sites().get(0))).isEqualTo("it is returned");
    }

    /** Escape answers stay right after an earlier site of the method was rewritten (instructions shifted). */
    @Test
    void escapeAnalysisLooksAtTheInstructionsItAnalysed() throws Exception {
        MethodNode m = method(testClass(SHAPES), "nestedInArguments", "(");
        AllocationPairing full = AllocationPairing.analyze(SHAPES, m);
        AllocationPairing.Site outer = full.sites().get(0);
        AllocationPairing.Site inner = full.sites().get(3);
        assertThat(inner.newInsn().desc).isEqualTo("java/util/ArrayList");
        assertThat(full.escapeOf(inner)).as("passed to Pair's constructor").contains("constructor");
        m.instructions.remove(inner.newInsn().getNext()); // as SiteRewriter removes NEW and DUP
        m.instructions.remove(inner.newInsn());
        assertThat(full.escapeOf(outer)).isEqualTo("it is returned");
    }

    /** Thousands of javac-compiled methods of the JDK: wherever the cheap pass answers, it answers the same. */
    @Test
    void agreesWithTheDataFlowAnalysisOnTheJdk() throws Exception {
        int[] total = new int[3];
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        List<Path> files = new ArrayList<>();
        for (String pkg : new String[]{"java/util", "java/util/concurrent", "java/time", "java/lang/invoke",
            "java/io", "java/net"}) {
            try (Stream<Path> s = Files.list(jrt.getPath("/modules/java.base", pkg))) {
                s.filter(p -> p.toString().endsWith(".class")).forEach(files::add);
            }
        }
        for (Path p : files) {
            int[] c = compareAll(parse(Files.readAllBytes(p)));
            for (int k = 0; k < 3; k++) {
                total[k] += c[k];
            }
        }
        assertThat(total[2]).as("sites compared (answered %d, left %d)", total[0], total[1]).isGreaterThan(1000);
        assertThat(total[0]).as("methods the cheap pass answers").isGreaterThan(total[1] * 3);
        assertThat(total[1]).as("methods it leaves to the data-flow analysis").isGreaterThan(0);
    }
}
