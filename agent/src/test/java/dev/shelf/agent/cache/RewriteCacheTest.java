package dev.shelf.agent.cache;

import dev.shelf.agent.Pipeline;
import dev.shelf.agent.classfile.ClassHierarchy;
import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.decide.PoolingDecisions;
import dev.shelf.agent.emit.ClassRewriter;
import dev.shelf.agent.plan.SiteNumbers;

import net.bytebuddy.dynamic.ClassFileLocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One kept site class, looked at closely: its sites are numbered for the run that takes it (numbers depend on the
 * order classes load in), and it is taken only under the same decisions, with every factory it calls promised.
 */
class RewriteCacheTest {

    private static final String SITES = "dev/shelf/corpus/Sites";
    private static final String PRIMITIVES = "dev/shelf/corpus/Primitives";

    @TempDir
    Path dir;

    private final PoolingDecisions pooled = new PoolingDecisions(PRIMITIVES::equals, "()V");
    private final ClassHierarchy types = new ClassHierarchy(ClassFileLocator.ForClassLoader.ofSystemLoader());
    private byte[] original;
    private RewriteCache cache;
    private String key;

    @BeforeEach
    void keepOne() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(SITES + ".class")) {
            original = in.readAllBytes();
        }
        cache = new RewriteCache(dir.toFile(), "test");
        key = RewriteCache.decisionsKey(PoolDecision.NOT_POOLED, List.of(PRIMITIVES, "java/lang/Object", PRIMITIVES, "dev/shelf/corpus/Pair"),
                pooled);
        ClassRewriter.Result cold = ClassRewriter.rewrite(original, PoolDecision.NOT_POOLED, pooled, types, true,
                false, (pooledClass, site) -> 3);
        assertThat(cold.numberAt()).as("patched in place").isNotNull().hasSizeGreaterThan(1);
        cache.storeSites(SITES, original, key, cold);
    }

    @Test
    void sitesAreNumberedForTheRunThatTakesThem() throws Exception {
        ClassRewriter.Result warm = cache.sites(SITES, original, key, pooled, new Registration(40));
        ClassRewriter.Result fresh = ClassRewriter.rewrite(original, PoolDecision.NOT_POOLED, pooled, types, true,
                false, new Registration(40));

        assertThat(warm).isNotNull();
        assertThat(warm.bytes()).isEqualTo(fresh.bytes());
        assertThat(warm.sites()).isEqualTo(fresh.sites());
        assertThat(warm.skipped()).isEqualTo(fresh.skipped());
        assertThat(warm.numberAt()).isEqualTo(fresh.numberAt());
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void otherDecisionsAreAMiss() {
        String notPooled = RewriteCache.decisionsKey(PoolDecision.NOT_POOLED, List.of(PRIMITIVES, "dev/shelf/corpus/Pair"), Decisions.NONE);
        String otherConstructor = RewriteCache.decisionsKey(PoolDecision.NOT_POOLED, List.of(PRIMITIVES, "dev/shelf/corpus/Pair"),
                new PoolingDecisions(PRIMITIVES::equals, "(I)V"));
        assertThat(List.of(notPooled, otherConstructor)).doesNotContain(key).doesNotHaveDuplicates();
        assertThat(RewriteCache.decisionsKey(PoolDecision.NOT_POOLED, List.of(PRIMITIVES, "dev/shelf/corpus/Pair", PRIMITIVES), pooled))
                .as("repeats and JDK classes do not count").isEqualTo(key);

        assertThat(cache.sites(SITES, original, notPooled, pooled, new Registration(1))).isNull();
        assertThat(cache.sites(SITES, original, otherConstructor, pooled, new Registration(1))).isNull();
        assertThat(cache.hits()).isZero();
    }

    @Test
    void aClassThatCannotBePromisedItsFactoriesIsAMiss() {
        // The pooled class already loaded without its factories.
        Decisions loadedWithoutMembers = pooled.withoutPromises();
        assertThat(cache.sites(SITES, original, key, loadedWithoutMembers, new Registration(1))).isNull();
    }

    @Test
    void aNumberThatDoesNotFitSipushIsAMiss() {
        assertThat(cache.sites(SITES, original, key, pooled, (c, s) -> Short.MAX_VALUE + 1)).isNull();
        assertThat(cache.sites(SITES, original, key, pooled, (c, s) -> Short.MAX_VALUE)).isNotNull();
    }

    @Test
    void aClassWrittenByAsmIsTakenOnlyWhenItsSitesGetTheSameNumbers() throws Exception {
        String branchy = "dev/shelf/corpus/BranchySites";
        byte[] bytes;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(branchy + ".class")) {
            bytes = in.readAllBytes();
        }
        Decisions all = new PoolingDecisions(n -> n.startsWith("dev/shelf/corpus/"), "()V");
        String branchyKey = RewriteCache.decisionsKey(PoolDecision.NOT_POOLED, List.of("dev/shelf/corpus/Primitives",
                "dev/shelf/corpus/Counting", "dev/shelf/corpus/InitBlocks"), all);
        ClassRewriter.Result cold = ClassRewriter.rewrite(bytes, PoolDecision.NOT_POOLED, all, types, true, false,
                new Registration(7));
        assertThat(cold.sites()).as("the ternary's sites").isNotEmpty();
        assertThat(cold.numberAt()).as("written by ASM, not patched in place").isNull();
        cache.storeSites(branchy, bytes, branchyKey, cold);

        assertThat(cache.sites(branchy, bytes, branchyKey, all, new Registration(8)))
                .as("numbered differently in this run").isNull();
        ClassRewriter.Result warm = cache.sites(branchy, bytes, branchyKey, all, new Registration(7));
        assertThat(warm).isNotNull();
        assertThat(warm.bytes()).isEqualTo(cold.bytes());
        assertThat(warm.sites()).isEqualTo(cold.sites());
    }

    @Test
    void theDecisionAboutTheClassItselfIsPartOfTheKey() {
        PoolDecision.Accepted self = new PoolDecision.Accepted(SITES, "java/lang/Object", false, true, List.of("()V"),
                0, -1, false);
        assertThat(RewriteCache.decisionsKey(self, List.of(PRIMITIVES), pooled)).isNotEqualTo(key);
        assertThat(cache.sites(SITES, original, RewriteCache.decisionsKey(self, List.of(PRIMITIVES), pooled), pooled,
                new Registration(1))).isNull();
    }

    @Test
    void aPooledClassKeepsItsDecisionAndMembers() throws Exception {
        PoolDecision.Accepted plan = new PoolDecision.Accepted(PRIMITIVES, "java/lang/Object", false, true,
                List.of("()V", "(IJ)V"), 8, 0, true);
        byte[] rewritten = {1, 2, 3};
        cache.storePooled(original, plan, "", rewritten);

        RewriteCache.Pooled kept = new RewriteCache(dir.toFile(), "test").pooled(PRIMITIVES, original, pooled);

        assertThat(kept.plan()).isEqualTo(plan);
        assertThat(kept.rewritten()).isEqualTo(rewritten);
        assertThat(kept.parentKey()).isEmpty();
        assertThat(new RewriteCache(dir.toFile(), "other").pooled(PRIMITIVES, original, pooled)).isNull();
        assertThat(new RewriteCache(dir.toFile(), "test", "another JDK", false).pooled(PRIMITIVES, original, pooled))
                .isNull();
        assertThat(cache.pooled("dev/shelf/corpus/Pair", original, pooled)).as("another name").isNull();
    }

    @Test
    void aReadOnlyCacheIsUsedAndNeverWritten() throws Exception {
        RewriteCache readOnly = new RewriteCache(dir.toFile(), "test", System.getProperty("java.runtime.version"),
                true);
        assertThat(readOnly.sites(SITES, original, key, pooled, new Registration(1))).as("kept before").isNotNull();
        try (var files = java.nio.file.Files.list(dir)) {
            long before = files.count();
            readOnly.storePooled(original, new PoolDecision.Accepted(PRIMITIVES, "java/lang/Object", false, true,
                    List.of("()V"), 0, -1, false), "", new byte[] {1});
            try (var after = java.nio.file.Files.list(dir)) {
                assertThat(after.count()).isEqualTo(before);
            }
        }
        assertThat(readOnly.stores()).isZero();
    }

    @Test
    void aPooledSubclassIsTakenOnlyUnderTheSameDecisionAboutItsSuperclass() throws Exception {
        ShelfConfig config = new ShelfConfig(true, List.of(), List.of(), 64, false);
        ClassFileLocator classPath = ClassFileLocator.ForClassLoader.of(getClass().getClassLoader());
        String child = "dev/shelf/corpus/PooledChild";
        String base = "dev.shelf.corpus.PooledBase";
        PoolDecision cold = Pipeline.of(config, false, cache).catalog().view(classPath).decide(child);
        assertThat(cold).isInstanceOfSatisfying(PoolDecision.Accepted.class, a -> assertThat(a.superPooled()).isTrue());

        RewriteCache same = new RewriteCache(dir.toFile(), "test");
        assertThat(Pipeline.of(config, false, same).catalog().view(classPath).decide(child)).isEqualTo(cold);
        assertThat(same.hits()).as("the superclass and the subclass").isEqualTo(2);

        // The superclass as a new build of the application has it: @Pooled(maxPerThread = 5).
        ClassWriter copy = new ClassWriter(0);
        new ClassReader(classPath.locate(base).resolve()).accept(new ClassVisitor(Opcodes.ASM9, copy) {
            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                AnnotationVisitor av = super.visitAnnotation(descriptor, visible);
                if (descriptor.equals(ShelfNames.POOLED_DESC)) {
                    av.visit("maxPerThread", 5);
                }
                return av;
            }
        }, 0);
        ClassFileLocator newBase = new ClassFileLocator.Compound(
                new ClassFileLocator.Simple(Map.of(base, copy.toByteArray())), classPath);
        RewriteCache changed = new RewriteCache(dir.toFile(), "test");
        PoolDecision warm = Pipeline.of(config, false, changed).catalog().view(newBase).decide(child);
        assertThat(warm).as("decided afresh, the same way").isEqualTo(cold);
        assertThat(changed.hits()).as("neither entry: the superclass's bytes and so its decision changed").isZero();
    }

    @Test
    void writersAndReadersRacingOnOneEntryOnlyEverSeeAWholeEntry() throws Exception {
        // Two builds of the same class, as two JVMs of different versions sharing the directory would keep them.
        byte[] other = original.clone();
        other[other.length - 1] ^= 1; // a different class file of the same name (the last byte of an attribute)
        PoolDecision.Accepted plan = new PoolDecision.Accepted(SITES, "java/lang/Object", false, true, List.of("()V"),
                0, -1, false);
        byte[] membersA = new byte[20_000];
        byte[] membersB = new byte[30_000];
        java.util.Arrays.fill(membersA, (byte) 'a');
        java.util.Arrays.fill(membersB, (byte) 'b');
        java.util.concurrent.atomic.AtomicInteger hitsA = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger hitsB = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            boolean a = t % 2 == 0;
            threads[t] = new Thread(() -> {
                try {
                    RewriteCache mine = new RewriteCache(dir.toFile(), "test");
                    for (int i = 0; i < 300; i++) {
                        mine.storePooled(a ? original : other, plan, "", a ? membersA : membersB);
                        RewriteCache.Pooled kept = mine.pooled(SITES, a ? original : other, pooled);
                        if (kept != null) {
                            assertThat(kept.rewritten()).isEqualTo(a ? membersA : membersB);
                            (a ? hitsA : hitsB).incrementAndGet();
                        }
                        assertThat(mine.pooled(SITES, a ? other : original, pooled))
                                .satisfiesAnyOf(k -> assertThat(k).isNull(),
                                        k -> assertThat(k.rewritten()).isEqualTo(a ? membersB : membersA));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(hitsA.get() + hitsB.get()).as("some reads found an entry").isPositive();
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().contains(".tmp"))).as("no temporary file left")
                    .isEmpty();
        }
    }

    /** Numbers sites in the order they register, from {@code first}: as the runtime does in a run. */
    private static final class Registration implements SiteNumbers {
        private final Map<String, Integer> numbers = new HashMap<>();
        private final int first;

        Registration(int first) {
            this.first = first;
        }

        @Override
        public int number(String pooledClass, String site) {
            return numbers.computeIfAbsent(pooledClass + " " + site, k -> first + numbers.size());
        }
    }
}
