package dev.shelf.agent;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every class the transformer changed passes ASM's {@link CheckClassAdapter} with data-flow verification, which
 * checks types on every path the way the JVM's verifier does — so a broken rewrite fails here with a readable
 * listing instead of as a {@code VerifyError} in a user's application.
 */
class BytecodeVerificationTest {

    @Test
    void everyTransformedClassVerifies() throws Exception {
        ShelfTestLoader loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        // Load every class of the corpus, so that the transformer sees all of them.
        Path dir = Path.of(getClass().getClassLoader().getResource("dev/shelf/corpus/Sites.class").toURI()).getParent();
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                    .map(n -> ReinitCorpusTest.CORPUS + "." + n.substring(0, n.length() - ".class".length()))
                    .sorted().toList();
        }
        for (String name : names) {
            loader.loadClass(name);
        }
        Map<String, byte[]> transformed = loader.transformed();
        assertThat(transformed.keySet()).as("classes the agent rewrote").contains(
                ReinitCorpusTest.CORPUS + ".Sites", ReinitCorpusTest.CORPUS + ".Primitives",
                ReinitCorpusTest.CORPUS + ".PooledBase", ReinitCorpusTest.CORPUS + ".PooledChild",
                ReinitCorpusTest.CORPUS + ".Outer$Inner", ReinitCorpusTest.CORPUS + ".Delegating");
        assertThat(transformed).doesNotContainKeys(ReinitCorpusTest.CORPUS + ".ChildOfPlain",
                ReinitCorpusTest.CORPUS + ".PooledRecord", ReinitCorpusTest.CORPUS + ".Holder");

        assertThat(transformed.size()).as("pooled classes and site classes transformed").isGreaterThanOrEqualTo(35);
        for (Map.Entry<String, byte[]> e : transformed.entrySet()) {
            StringWriter out = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(e.getValue()), loader, false, new PrintWriter(out));
            assertThat(out.toString()).as("CheckClassAdapter on " + e.getKey()).isEmpty();
        }
    }
}
