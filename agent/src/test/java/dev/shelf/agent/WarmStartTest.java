package dev.shelf.agent;

import dev.shelf.agent.cache.RewriteCache;
import dev.shelf.agent.classfile.ClassFileScan;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.report.ShelfLog;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.TypeReference;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code shelf.cache.dir} across "runs" — fresh class loaders, catalogs and transformers over one directory: a warm
 * run takes every kept class from the cache and ends up with exactly the class files a run without the cache
 * produces; stale, damaged or foreign entries are misses that are rewritten and replaced, never used.
 */
class WarmStartTest {

    private static final String CORPUS = "dev.shelf.corpus";
    private static final String BUILD = "test-build|strict=false";

    @TempDir
    Path dir;

    private Map<String, byte[]> withoutCache;

    @BeforeEach
    void referenceRun() throws Exception {
        withoutCache = run(null);
        assertThat(withoutCache).as("the corpus has rewritten classes").hasSizeGreaterThan(20);
    }

    @Test
    void aWarmRunTakesEveryKeptClassFromTheCacheAndEndsWithTheSameClassFiles() throws Exception {
        RewriteCache cold = cache(BUILD);
        assertSameClassFiles(run(cold));
        assertThat(cold.hits()).isZero();
        assertThat(entries(".pooled")).as("pooled classes kept").hasSizeGreaterThan(5);
        assertThat(entries(".sites")).as("site classes kept").isNotEmpty();
        assertThat(cold.stores()).isEqualTo(entries(".pooled").size() + entries(".sites").size());

        RewriteCache warm = cache(BUILD);
        Map<String, byte[]> warmRun = run(warm);
        assertSameClassFiles(warmRun);
        assertThat(warm.hits()).as("every entry used").isEqualTo(cold.stores());
        assertThat(warm.stores()).as("nothing rewritten again").isZero();
        for (Map.Entry<String, byte[]> e : warmRun.entrySet()) {
            StringWriter problems = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(e.getValue()), getClass().getClassLoader(), false,
                    new PrintWriter(problems));
            assertThat(problems.toString()).as(e.getKey()).isEmpty();
        }
    }

    @Test
    void entriesOfAnotherBuildOrSettingsAreNotUsed() throws Exception {
        run(cache(BUILD));
        RewriteCache other = cache("another-build|strict=false");
        assertSameClassFiles(run(other));
        assertThat(other.hits()).isZero();
        assertThat(other.stores()).as("replaced under the new fingerprint").isPositive();
        RewriteCache again = cache("another-build|strict=false");
        run(again);
        assertThat(again.hits()).isEqualTo(other.stores());
    }

    @Test
    void damagedEntriesAreRewrittenAndReplacedNeverUsed() throws Exception {
        RewriteCache cold = cache(BUILD);
        run(cold);
        List<Path> entries = new ArrayList<>(entries(".pooled"));
        entries.addAll(entries(".sites"));
        byte[] foreign = Files.readAllBytes(entries.get(0));
        for (int i = 0; i < entries.size(); i++) {
            Path e = entries.get(i);
            byte[] b = Files.readAllBytes(e);
            switch (i % 5) {
                case 0 -> Files.write(e, Arrays.copyOf(b, b.length / 2));        // cut short
                case 1 -> {                                                      // one bit flipped
                    b[b.length / 2] ^= 1;
                    Files.write(e, b);
                }
                case 2 -> Files.write(e, "not an entry at all".getBytes());     // garbage
                case 3 -> Files.write(e, new byte[0]);                           // empty
                default -> Files.write(e, i == 0 ? new byte[1] : foreign);       // another class's entry
            }
        }
        RewriteCache damaged = cache(BUILD);
        String err = StdErr.capture(() -> assertSameClassFiles(run(damaged)));
        assertThat(damaged.hits()).isZero();
        assertThat(damaged.stores()).isEqualTo(entries.size());
        assertThat(err).doesNotContain("Exception");

        RewriteCache repaired = cache(BUILD);
        assertSameClassFiles(run(repaired));
        assertThat(repaired.hits()).isEqualTo(entries.size());
    }

    @Test
    void aChangedClassFileIsAMissAndItsEntryIsReplaced() throws Exception {
        run(cache(BUILD));
        String name = "dev/shelf/corpus/Sites";
        byte[] original = ShelfTestLoader.originalBytes(name.replace('/', '.'));
        // What a new build of the application hands over: the same class and sites, other bytes.
        ClassWriter copy = new ClassWriter(0);
        new ClassReader(original).accept(copy, 0);
        copy.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, "added", "I", null, null).visitEnd();
        byte[] changed = copy.toByteArray();
        Path entry = entries(".sites").stream().filter(p -> p.getFileName().toString().startsWith(
                "dev.shelf.corpus.Sites-")).findFirst().orElseThrow();
        byte[] keptBefore = Files.readAllBytes(entry);

        byte[] fresh = transform(null, name, changed);
        byte[] warm = transform(cache(BUILD), name, changed);

        assertThat(warm).isEqualTo(fresh).isNotEqualTo(withoutCache.get("dev.shelf.corpus.Sites"));
        assertThat(Files.readAllBytes(entry)).as("replaced by the new class file's").isNotEqualTo(keptBefore);
        assertThat(transform(cache(BUILD), name, original)).as("and the old class file is a miss in turn")
                .isEqualTo(withoutCache.get("dev.shelf.corpus.Sites"));
    }

    @Test
    void aClassWithTypeAnnotationsThatDoesNotMentionPooledIsKeptToo() throws Exception {
        String name = "dev/shelf/corpus/Sites";
        // Sites with a type-use annotation (as JSpecify's @Nullable leaves them): no `new @Pooled T()` possible.
        ClassWriter copy = new ClassWriter(0);
        new ClassReader(ShelfTestLoader.originalBytes(name.replace('/', '.'))).accept(copy, 0);
        FieldVisitor field = copy.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, "annotated",
                "Ljava/lang/String;", null, null);
        field.visitTypeAnnotation(TypeReference.newTypeReference(TypeReference.FIELD).getValue(), null,
                "Lorg/example/Nullable;", true).visitEnd();
        field.visitEnd();
        byte[] annotated = copy.toByteArray();
        assertThat(ClassFileScan.of(annotated).hasTypeAnnotations).isTrue();

        byte[] cold = transform(cache(BUILD), name, annotated);
        ShelfLog.setExplain(true);
        String err;
        byte[][] warm = new byte[1][];
        try {
            err = StdErr.capture(() -> warm[0] = transform(cache(BUILD), name, annotated));
        } finally {
            ShelfLog.setExplain(false);
        }
        assertThat(err).contains("dev.shelf.corpus.Sites: rewritten form taken from shelf.cache.dir");
        assertThat(warm[0]).isEqualTo(cold).isEqualTo(transform(null, name, annotated));
    }

    @Test
    void theAgentKeysItsCacheByThisBuildAndIsOffWithoutADirectory() {
        assertThat(AgentStart.buildId(null)).as("written by Maven into build.properties")
                .matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?-\\d{17}");
        assertThat(AgentStart.rewriteCache(ShelfConfig.DEFAULTS, null)).isNull();
        ShelfConfig withCache = new ShelfConfig(true, List.of(), List.of(), 64, false, 256, ShelfConfig.Eviction.GC,
                false, ShelfConfig.Report.NONE, null, true, null, dir);
        RewriteCache cache = AgentStart.rewriteCache(withCache, null);
        assertThat(cache.directory()).isEqualTo(dir.toFile());
        assertThat(cache.readOnly()).isFalse();
    }

    /** The transformer of a fresh run, on one class file. */
    private static byte[] transform(RewriteCache cache, String name, byte[] bytes) {
        ShelfConfig config = new ShelfConfig(true, List.of(CORPUS), List.of(), 64, false);
        ShelfTransformer transformer = new ShelfTransformer(config, Pipeline.of(config, false, cache));
        return transformer.transform(new ShelfTestLoader(CORPUS), name, null, null, bytes);
    }

    @Test
    void anUnwritableCacheWarnsOnceAndEveryClassIsStillRewritten() throws Exception {
        File notADirectory = Files.createFile(dir.resolve("file")).toFile();
        RewriteCache broken = new RewriteCache(notADirectory, BUILD);
        ShelfLog.forgetWarnings();
        String err = StdErr.capture(() -> assertSameClassFiles(run(broken)));
        assertThat(err.lines().filter(l -> l.contains("cannot write to shelf.cache.dir " + notADirectory)))
                .as(err).hasSize(1);
        assertThat(err).contains("classes are still rewritten, just not kept for the next start");
        assertThat(broken.stores()).isZero();
    }

    private void assertSameClassFiles(Map<String, byte[]> run) {
        assertThat(run.keySet()).isEqualTo(withoutCache.keySet());
        for (Map.Entry<String, byte[]> e : run.entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).isEqualTo(withoutCache.get(e.getKey()));
        }
    }

    private RewriteCache cache(String fingerprint) {
        return new RewriteCache(dir.toFile(), fingerprint);
    }

    private List<Path> entries(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** One "run": every corpus class loaded, site classes first (as an application loads them), through a fresh loader. */
    private static Map<String, byte[]> run(RewriteCache cache) throws Exception {
        ShelfTestLoader loader = new ShelfTestLoader(CORPUS, false, cache);
        for (String name : corpusClasses()) {
            Class.forName(name, false, loader);
        }
        return new TreeMap<>(loader.transformed());
    }

    private static List<String> corpusClasses() throws URISyntaxException, IOException {
        Path root = Path.of(dev.shelf.corpus.Pair.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("dev/shelf/corpus"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String rel = root.relativize(f).toString();
                names.add(rel.substring(0, rel.length() - ".class".length()).replace(File.separatorChar, '.'));
            }
        }
        // Classes that allocate come first: their sites are decided before the pooled classes load.
        names.sort((a, b) -> Boolean.compare(!a.contains("Sites"), !b.contains("Sites")));
        return names;
    }
}
