package dev.shelf.agent;

import dev.shelf.agent.emit.MethodListings;
import dev.shelf.agent.emit.SitePatcher;

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

    /** Loads every class of the corpus through the transformer; returns the classes it changed. */
    private Map<String, byte[]> transformCorpus() throws Exception {
        ShelfTestLoader loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        for (String name : corpusClassNames()) {
            loader.loadClass(name);
        }
        return loader.transformed();
    }

    private List<String> corpusClassNames() throws Exception {
        Path dir = Path.of(getClass().getClassLoader().getResource("dev/shelf/corpus/Sites.class").toURI()).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
                    .map(n -> ReinitCorpusTest.CORPUS + "." + n.substring(0, n.length() - ".class".length()))
                    .sorted().toList();
        }
    }

    /**
     * A class that only has allocation sites keeps every method without a site exactly as compiled — stack map
     * frames included — because the rewrite copies those methods instead of recomputing them (start-up cost).
     */
    @Test
    void methodsWithoutSitesAreCopiedUnchanged() throws Exception {
        Map<String, byte[]> transformed = transformCorpus();
        int copied = 0;
        int rewritten = 0;
        for (Map.Entry<String, byte[]> e : transformed.entrySet()) {
            Map<String, String> after = MethodListings.of(e.getValue());
            if (after.keySet().stream().anyMatch(m -> m.startsWith("$shelf$"))) {
                continue; // a pooled class itself: written in full, with its generated members
            }
            String resource = e.getKey().replace('.', '/') + ".class";
            byte[] original;
            try (var in = getClass().getClassLoader().getResourceAsStream(resource)) {
                original = in.readAllBytes();
            }
            Map<String, String> before = MethodListings.of(original);
            assertThat(after.keySet()).as("methods of " + e.getKey()).isEqualTo(before.keySet());
            for (String method : before.keySet()) {
                if (after.get(method).equals(before.get(method))) {
                    copied++;
                } else {
                    assertThat(after.get(method)).as(e.getKey() + "." + method + " changed, so it has a rewritten site")
                            .containsAnyOf("$shelf$new", "dev/shelf/internal/ArrayShelf.");
                    rewritten++;
                }
            }
        }
        assertThat(rewritten).as("methods with rewritten sites").isGreaterThan(0);
        assertThat(copied).as("methods copied unchanged, frames and all").isGreaterThan(0);
    }

    /**
     * Site classes whose sites are all straight-line are patched in place ({@code SitePatcher}), so the corpus tests
     * that use them (statistics per site, misuse, ...) run through patched bytes; the others (a site with a jump in
     * its arguments, a method-scoped site, a class that may say {@code new @Pooled T()}) are written by ASM.
     */
    @Test
    void straightLineSiteClassesArePatchedInPlace() throws Exception {
        Map<String, byte[]> transformed = transformCorpus();
        List<String> inPlace = new java.util.ArrayList<>();
        List<String> written = new java.util.ArrayList<>();
        for (Map.Entry<String, byte[]> e : transformed.entrySet()) {
            Map<String, String> after = MethodListings.of(e.getValue());
            if (after.keySet().stream().anyMatch(m -> m.startsWith("$shelf$"))) {
                continue; // a pooled class itself
            }
            byte[] original;
            try (var in = getClass().getClassLoader().getResourceAsStream(e.getKey().replace('.', '/') + ".class")) {
                original = in.readAllBytes();
            }
            int sites = (int) after.values().stream().flatMap(String::lines)
                    .filter(l -> l.contains("INVOKESTATIC") && l.contains(".$shelf$new ")).count();
            (dev.shelf.agent.emit.SitePatcherTest.patchedInPlace(original, e.getValue(), sites) ? inPlace : written)
                    .add(e.getKey().substring(ReinitCorpusTest.CORPUS.length() + 1));
        }
        assertThat(inPlace).as("site classes patched in place")
                .containsExactlyInAnyOrder("Sites", "TallySites", "Misuse", "Maker", "Assembler");
        assertThat(written).as("site classes written by ASM: a ternary in arguments, scoped sites, "
                + "new @Pooled T(), new @Pooled byte[n]").containsExactlyInAnyOrder("BranchySites", "ScopedSites",
                "AnnotatedSites", "PooledArraySites", "ScopedArraySites");
    }

    @Test
    void everyTransformedClassVerifies() throws Exception {
        ShelfTestLoader loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        for (String name : corpusClassNames()) {
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
