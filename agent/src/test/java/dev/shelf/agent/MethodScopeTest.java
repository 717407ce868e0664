package dev.shelf.agent;

import dev.shelf.ShelfStats;
import dev.shelf.agent.report.ShelfLog;
import dev.shelf.internal.ClassShelf;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code @Pooled(scope = METHOD)}: the agent releases the object when the allocating method exits, however it exits,
 * and never where the method lets the object escape.
 */
class MethodScopeTest {

    static final String SITES = ReinitCorpusTest.CORPUS + ".ScopedSites";
    static ShelfTestLoader loader;
    static String warnings;

    @BeforeAll
    static void load() throws Exception {
        loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        ShelfLog.forgetWarnings();
        warnings = StdErr.capture(() -> loader.loadClass(SITES));
    }

    static ShelfStats.PoolStats pool() throws Exception {
        java.lang.reflect.Field f = loader.loadClass(ReinitCorpusTest.CORPUS + ".Scoped").getDeclaredField("$shelf$pool");
        f.setAccessible(true);
        return ((ClassShelf) f.get(null)).snapshot();
    }

    @Test
    void releasedAtNormalExitAndReusedByTheNextCall() throws Exception {
        long[] first = (long[]) loader.call(SITES, "used");
        long releasedBefore = pool().released();
        long[] second = (long[]) loader.call(SITES, "used");

        assertThat(second[0]).as("same object, released by the first call's exit").isEqualTo(first[0]);
        assertThat(second[1]).as("re-initialised: one note, not two").isEqualTo(1);
        assertThat(pool().released()).isEqualTo(releasedBefore + 1);
    }

    @Test
    void releasedWhenTheMethodThrows() throws Exception {
        long releasedBefore = pool().released();
        assertThatThrownBy(() -> loader.call(SITES, "throwsMidway", true))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("midway ");
        assertThat(pool().released()).isEqualTo(releasedBefore + 1);
        assertThat(loader.call(SITES, "throwsMidway", false)).isEqualTo(1);
    }

    @Test
    void escapingSitesAreNeverPooledNorReleased() throws Exception {
        long acquiredBefore = pool().acquired();
        long releasedBefore = pool().released();
        Object a = loader.call(SITES, "returned");
        Object b = loader.call(SITES, "returned");
        loader.call(SITES, "storedInStatic");
        Object kept = loader.loadClass(SITES).getField("kept").get(null);
        loader.call(SITES, "storedInStatic");
        loader.call(SITES, "passedToConstructor");
        loader.call(SITES, "storedInArray");
        @SuppressWarnings("unchecked")
        Supplier<Integer> lambda = (Supplier<Integer>) loader.call(SITES, "capturedByLambda");
        loader.call(SITES, "used");

        assertThat(a).isNotSameAs(b);
        assertThat(loader.loadClass(SITES).getField("kept").get(null)).isNotSameAs(kept);
        assertThat(lambda.get()).isZero();
        assertThat(pool().acquired() - acquiredBefore).as("only the non-escaping site drew from the pool")
                .isEqualTo(1);
        assertThat(pool().released() - releasedBefore).isEqualTo(1);
    }

    @Test
    void eachRefusedSiteIsNamedOnceWithItsReason() {
        assertThat(warnings).contains("ScopedSites, new dev.shelf.corpus.Scoped at line")
                .contains("@Pooled(scope = METHOD) but it is returned")
                .contains("@Pooled(scope = METHOD) but it is stored in a static field")
                .contains("@Pooled(scope = METHOD) but it is passed to a constructor")
                .contains("@Pooled(scope = METHOD) but it is stored in an array")
                .contains("@Pooled(scope = METHOD) but it is captured by a lambda")
                .contains("@Pooled(scope = METHOD) but it is inside a loop");
        assertThat(warnings.lines().filter(l -> l.contains("it is returned")).count()).isEqualTo(1);
    }

    @Test
    void loopSitesAllocateAsUsualAndStillWork() {
        assertThat(loader.call(SITES, "inLoop", 5)).isEqualTo(5);
    }
}
