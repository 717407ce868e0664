package dev.shelf.agent;

import dev.shelf.Shelf;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.decide.LoaderDecisions;
import dev.shelf.agent.decide.PoolDecision;

import net.bytebuddy.dynamic.ClassFileLocator;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Classes the agent cannot pool are left alone: they load, {@code new} allocates as usual, releasing them does
 * nothing, and the agent says why in one line.
 */
class RefusedShapesTest {

    static ShelfTestLoader loader;

    @BeforeAll
    static void load() {
        loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
    }

    @ParameterizedTest
    @CsvSource({
        "ChildOfPlain, superclass dev.shelf.corpus.PlainParent is not @Pooled",
        "PooledRecord, it is a record",
        "PooledEnum, it is an enum",
        "Holder, ",
        "SharedCapacities$NegativeShared, '@Pooled(maxShared = -2) is not accepted; expected -1 (the configured default) or 0 to'",
        "SharedCapacities$NegativePerThread, '@Pooled(maxPerThread = -1) is not accepted; expected 0 (the configured default) or 1 to'",
    })
    void decisionNamesTheReason(String type, String reason) {
        ShelfConfig config = new ShelfConfig(true, List.of(), List.of(), 64, false);
        LoaderDecisions view = Pipeline.of(config).catalog()
                .view(ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));
        PoolDecision d = view.decide("dev/shelf/corpus/" + type);
        if (reason == null) {
            assertThat(d).isInstanceOf(PoolDecision.NotPooled.class);
        } else {
            assertThat(d).isInstanceOfSatisfying(PoolDecision.Refused.class,
                    r -> assertThat(r.reason()).contains(reason));
        }
    }

    @Test
    void annotatedSharedCapacityReachesThePoolFromTheClassFile() {
        Object o = loader.call(ReinitCorpusTest.CORPUS + ".Sites", "threeShared");
        Shelf.release(o);
        assertThat(Shelf.stats().pool(ReinitCorpusTest.CORPUS + ".SharedCapacities$ThreeShared"))
                .hasValueSatisfying(p -> assertThat(p.sharedCapacity()).isEqualTo(3));
        // ... as a constant in the static initialiser, not read back reflectively by the runtime (which would make
        // the JDK generate an annotation proxy class on the application's thread at start-up).
        byte[] bytes = loader.transformed().get(ReinitCorpusTest.CORPUS + ".SharedCapacities$ThreeShared");
        List<String> calls = new ArrayList<>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                return !name.equals("<clinit>") ? null : new MethodVisitor(Opcodes.ASM9) {
                    private Object last;

                    @Override
                    public void visitLdcInsn(Object value) {
                        last = value;
                    }

                    @Override
                    public void visitMethodInsn(int op, String owner, String mname, String mdesc, boolean itf) {
                        if (mname.equals("register")) {
                            calls.add(mdesc + " " + last);
                        }
                    }
                };
            }
        }, 0);
        assertThat(calls).containsExactly("(Ljava/lang/Class;II)Ldev/shelf/internal/ClassShelf; 3");
    }

    @Test
    void refusedClassAllocatesAsUsualAndReleaseIsANoOp() {
        Object a = loader.call(ReinitCorpusTest.CORPUS + ".Sites", "childOfPlain");
        Shelf.release(a);
        Object b = loader.call(ReinitCorpusTest.CORPUS + ".Sites", "childOfPlain");
        assertThat(b).isNotSameAs(a);
        assertThat(Shelf.stats().pool(ReinitCorpusTest.CORPUS + ".ChildOfPlain")).isEmpty();
    }

    @Test
    void excludedPackageIsNotPooledAndNotWarnedAbout() {
        ShelfConfig config = new ShelfConfig(true, List.of(), List.of("dev.shelf.corpus"), 64, false);
        LoaderDecisions view = Pipeline.of(config).catalog()
                .view(ClassFileLocator.ForClassLoader.of(getClass().getClassLoader()));
        PoolDecision d = view.decide("dev/shelf/corpus/Primitives");
        assertThat(d).isInstanceOfSatisfying(PoolDecision.Refused.class, r -> assertThat(r.deliberate()).isTrue());
        assertThat(d.poolsAllocations()).isFalse();
    }

    @Test
    void aClassTheAgentFailsOnLoadsUnchangedWithOneWarning() throws Exception {
        ShelfConfig config = new ShelfConfig(true, List.of(), List.of(), 64, false);
        ShelfTransformer transformer = new ShelfTransformer(config, Pipeline.of(config));
        byte[] garbage = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 9, 1, 2, 3};
        byte[][] results = new byte[2][];
        String printed = StdErr.capture(() -> {
            results[0] = transformer.transform(getClass().getClassLoader(), "com/acme/Broken", null, null, garbage);
            results[1] = transformer.transform(getClass().getClassLoader(), "com/acme/Broken", null, null, garbage);
        });
        byte[] result = results[0];
        byte[] again = results[1];
        assertThat(result).as("null means: load the original bytes").isNull();
        assertThat(again).isNull();
        assertThat(printed.lines()).hasSize(1);
        assertThat(printed).startsWith("[shelf] WARN could not rewrite com.acme.Broken")
                .contains("it is loaded unchanged");
    }
}
