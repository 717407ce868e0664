package dev.shelf.agent.rewrite;

import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    private final Decisions pooled = new PoolingDecisions(PRIMITIVES::equals, "()V");
    private final TypePool types = TypePool.Default.of(ClassFileLocator.ForClassLoader.ofSystemLoader());
    private byte[] original;
    private RewriteCache cache;
    private String key;

    @BeforeEach
    void keepOne() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(SITES + ".class")) {
            original = in.readAllBytes();
        }
        cache = new RewriteCache(dir.toFile(), "test");
        key = RewriteCache.decisionsKey(List.of(PRIMITIVES, "java/lang/Object", PRIMITIVES, "dev/shelf/corpus/Pair"),
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
        String notPooled = RewriteCache.decisionsKey(List.of(PRIMITIVES, "dev/shelf/corpus/Pair"), Decisions.NONE);
        String otherConstructor = RewriteCache.decisionsKey(List.of(PRIMITIVES, "dev/shelf/corpus/Pair"),
                new PoolingDecisions(PRIMITIVES::equals, "(I)V"));
        assertThat(List.of(notPooled, otherConstructor)).doesNotContain(key).doesNotHaveDuplicates();
        assertThat(RewriteCache.decisionsKey(List.of(PRIMITIVES, "dev/shelf/corpus/Pair", PRIMITIVES), pooled))
                .as("repeats and JDK classes do not count").isEqualTo(key);

        assertThat(cache.sites(SITES, original, notPooled, pooled, new Registration(1))).isNull();
        assertThat(cache.sites(SITES, original, otherConstructor, pooled, new Registration(1))).isNull();
        assertThat(cache.hits()).isZero();
    }

    @Test
    void aClassThatCannotBePromisedItsFactoriesIsAMiss() {
        Decisions loadedWithoutMembers = new Decisions() {
            @Override
            public PoolDecision decide(String internalName) {
                return pooled.decide(internalName);
            }

            @Override
            public PoolDecision decideForSite(String internalName) {
                return pooled.decideForSite(internalName);
            }

            @Override
            public boolean promise(String internalName) {
                return false; // the pooled class already loaded without its factories
            }
        };
        assertThat(cache.sites(SITES, original, key, loadedWithoutMembers, new Registration(1))).isNull();
    }

    @Test
    void aNumberThatDoesNotFitSipushIsAMiss() {
        assertThat(cache.sites(SITES, original, key, pooled, (c, s) -> Short.MAX_VALUE + 1)).isNull();
        assertThat(cache.sites(SITES, original, key, pooled, (c, s) -> Short.MAX_VALUE)).isNotNull();
    }

    @Test
    void aPooledClassKeepsItsDecisionAndMembers() throws Exception {
        PoolDecision.Accepted plan = new PoolDecision.Accepted(PRIMITIVES, "java/lang/Object", false, true,
                List.of("()V", "(IJ)V"), 8, 0, true);
        byte[] rewritten = {1, 2, 3};
        cache.storePooled(original, plan, rewritten);

        RewriteCache.Pooled kept = new RewriteCache(dir.toFile(), "test").pooled(PRIMITIVES, original);

        assertThat(kept.plan()).isEqualTo(plan);
        assertThat(kept.rewritten()).isEqualTo(rewritten);
        assertThat(new RewriteCache(dir.toFile(), "other").pooled(PRIMITIVES, original)).isNull();
        assertThat(cache.pooled("dev/shelf/corpus/Pair", original)).as("another name").isNull();
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
