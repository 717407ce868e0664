package dev.shelf.agent;

import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.decide.LoaderDecisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.emit.ClassRewriter;
import dev.shelf.agent.emit.TrialMembers;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deciding that a class is pooled generates its pooled members once as a trial; the class's own load then takes
 * those bytes instead of generating them again — but only when it loads the very class file the trial read, in the
 * same mode.
 */
class TrialReuseTest {

    private static final String NAME = "dev/shelf/corpus/Primitives";

    private final ShelfConfig config = new ShelfConfig(true, List.of(), List.of(), 64, false);
    private final ClassLoader loader = getClass().getClassLoader();
    private ShelfTransformer transformer;
    private TrialMembers trials;
    private LoaderDecisions view;
    private byte[] original;
    private PoolDecision decision;

    @BeforeEach
    void decide() throws Exception {
        Pipeline stages = Pipeline.of(config);
        transformer = new ShelfTransformer(config, stages);
        trials = stages.trials();
        view = stages.catalog().view(loader);
        original = ShelfTestLoader.originalBytes(NAME.replace('/', '.'));
        decision = view.decide(NAME); // as a site in another class would: generates the trial
    }

    @Test
    void theLoadTakesTheTrialOfTheSameClassFile() throws Exception {
        byte[] loaded = transformer.transform(loader, NAME, null, null, original);

        assertThat(trials.take(view, NAME, original, decision, false)).as("the load took the trial").isNull();
        assertThat(loaded).isEqualTo(freshGeneration(view, decision, original));
    }

    @Test
    void anotherClassFileOfTheSameNameIsGeneratedAfresh() throws Exception {
        // The class as another transformer before Shelf might hand it over: `int i = 42` initialised to 43 instead.
        ClassWriter copy = new ClassWriter(0);
        new ClassReader(original).accept(new ClassVisitor(Opcodes.ASM9, copy) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, desc, sig, ex)) {
                    @Override
                    public void visitIntInsn(int opcode, int operand) {
                        super.visitIntInsn(opcode, opcode == Opcodes.BIPUSH && operand == 42 ? 43 : operand);
                    }
                };
            }
        }, 0);
        byte[] other = copy.toByteArray();
        assertThat(other).isNotEqualTo(original);

        byte[] loaded = transformer.transform(loader, NAME, null, null, other);

        assertThat(loaded).isEqualTo(freshGeneration(view, decision, other))
                .isNotEqualTo(freshGeneration(view, decision, original));
    }

    @Test
    void aTrialOfAnotherModeIsNotTaken() {
        assertThat(trials.take(view, NAME, original, decision, true)).as("strict mode needs its own checks").isNull();
        assertThat(trials.take(view, NAME, original, decision, false)).as("taken once at most").isNull();
    }

    private static byte[] freshGeneration(LoaderDecisions view, PoolDecision decision, byte[] bytes)
            throws Exception {
        return ClassRewriter.rewrite(bytes, decision, view, view.hierarchy(), false, false).bytes();
    }
}
