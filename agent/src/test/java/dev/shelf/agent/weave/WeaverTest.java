package dev.shelf.agent.weave;

import dev.shelf.agent.Pipeline;
import dev.shelf.agent.ShelfTransformer;
import dev.shelf.agent.config.ShelfConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The build-time weaver over the agent's corpus: what it writes, its marker, and what it says. */
class WeaverTest {

    static final String CORPUS = "dev.shelf.corpus";
    static final ShelfConfig CONFIG = new ShelfConfig(true, List.of(CORPUS), List.of(), 64, false);
    static WovenClasses.Woven woven;
    static Map<String, byte[]> classes;

    @BeforeAll
    static void weave() throws Exception {
        woven = WovenClasses.weave(CORPUS, CONFIG);
        classes = woven.classes();
    }

    @Test
    void wovenClassesVerifyAndCarryTheMarker() throws Exception {
        List<String> marked = new ArrayList<>();
        try (URLClassLoader types = new URLClassLoader(new URL[]{woven.dir().toUri().toURL()},
                WeaverTest.class.getClassLoader())) {
            for (Map.Entry<String, byte[]> e : classes.entrySet()) {
                if (!WovenMarker.isWoven(e.getValue())) {
                    continue;
                }
                marked.add(e.getKey());
                StringWriter problems = new StringWriter();
                CheckClassAdapter.verify(new ClassReader(e.getValue()), types, false, new PrintWriter(problems));
                assertThat(problems.toString()).as("verifier output for " + e.getKey()).isEmpty();
            }
        }
        assertThat(marked).as("woven classes and the activation class")
                .hasSize(woven.result().woven() + 1)
                .contains(CORPUS + ".Sites", CORPUS + ".Primitives", CORPUS + "." + Activation.SIMPLE_NAME);
    }

    @Test
    void summaryCountsAndWarningsAreThoseOfTheAgent() {
        Weaver.Result r = woven.result();
        assertThat(r.summary()).startsWith("wove " + r.woven() + " of " + r.classes() + " classes (" + r.pooled()
                + " pooled)");
        assertThat(r.pooled()).isGreaterThan(20);
        assertThat(r.failed()).isEmpty();
        // The corpus holds @Pooled classes the agent refuses: the weaver says so, as the agent would.
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).startsWith("[shelf] WARN ").contains("is @Pooled but "
                + "is not pooled"));
        assertThat(woven.lines()).containsAll(r.warnings());
    }

    @Test
    void pooledClassesActivateTheRuntimeFirstThingInTheirStaticInitialiser() {
        assertThat(Activation.registersPool(classes.get(CORPUS + ".Primitives"))).isTrue();
        String text = new String(classes.get(CORPUS + ".Primitives"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).contains("dev/shelf/corpus/" + Activation.SIMPLE_NAME);
    }

    @Test
    void aSecondRunLeavesWovenClassesAlone() throws Exception {
        Map<String, byte[]> before = woven.classes();
        Weaver.Result again = new Weaver(CONFIG, List.of(), line -> { }).weave(woven.dir());
        assertThat(again.woven()).isZero();
        assertThat(again.alreadyWoven()).isEqualTo(woven.result().woven() + 1);
        Map<String, byte[]> after = woven.classes();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (String name : before.keySet()) {
            assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
        }
    }

    @Test
    void aRebuildThatRecompiledThePooledClassesReplacesTheActivationClass() throws Exception {
        WovenClasses.Woven fresh = WovenClasses.weave(CORPUS, CONFIG);
        java.nio.file.Path pkg = fresh.dir().resolve("dev/shelf/corpus");
        java.nio.file.Path testPkg = WovenClasses.testClasses().resolve("dev/shelf/corpus");
        for (String name : List.of("Primitives", "Sites")) {
            Files.copy(testPkg.resolve(name + ".class"), pkg.resolve(name + ".class"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING); // javac ran again for these two
        }
        Weaver.Result again = new Weaver(CONFIG, List.of(), line -> { }).weave(fresh.dir());
        assertThat(again.woven()).isEqualTo(2);
        try (var files = Files.list(pkg)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(Activation.SIMPLE_NAME)))
                    .containsExactly(Activation.SIMPLE_NAME + ".class");
        }
    }

    @Test
    void theAgentLeavesWovenClassesAlone() throws Exception {
        ShelfTransformer agent = new ShelfTransformer(CONFIG, Pipeline.of(CONFIG));
        try (URLClassLoader loader = new URLClassLoader(new URL[]{woven.dir().toUri().toURL()}, null)) {
            for (String name : List.of("Sites", "Primitives", "Order")) {
                byte[] bytes = classes.get(CORPUS + "." + name);
                assertThat(WovenMarker.isWoven(bytes)).isTrue();
                assertThat(agent.transform(loader, "dev/shelf/corpus/" + name, null, null, bytes)).as(name).isNull();
            }
        }
    }

    @Test
    void nothingIsWovenWhenShelfIsDisabled() throws Exception {
        ShelfConfig off = new ShelfConfig(false, List.of(CORPUS), List.of(), 64, false);
        WovenClasses.Woven none = WovenClasses.weave(CORPUS, off);
        assertThat(none.result().woven()).isZero();
        try (var files = Files.list(none.dir().resolve("dev/shelf/corpus"))) {
            files.forEach(p -> assertThat(p.getFileName().toString()).doesNotContain(Activation.SIMPLE_NAME));
        }
    }
}
