package dev.shelf.agent;

import dev.shelf.Shelf;
import dev.shelf.agent.report.ShelfLog;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code new @Pooled T()} pools one site of a class that is not annotated. */
class SiteAnnotationTest {

    static final String SITES = ReinitCorpusTest.CORPUS + ".AnnotatedSites";
    static ShelfTestLoader loader;
    static String warnings;

    @BeforeAll
    static void load() throws Exception {
        loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
        loader.loadClass(ReinitCorpusTest.CORPUS + ".LoadedEarly");
        ShelfLog.forgetWarnings();
        warnings = StdErr.capture(() -> loader.loadClass(SITES));
    }

    @Test
    void theAnnotatedSiteIsPooledAndEqualsAFreshObject() throws Exception {
        Object a = loader.call(SITES, "pooled");
        ((byte[]) a.getClass().getMethod("bytes").invoke(a))[5] = 9;
        Shelf.release(a);
        Object b = loader.call(SITES, "pooled");
        assertThat(b).isSameAs(a);
        Object fresh = loader.call(SITES, "pooled"); // the pool is empty: a fresh object from the same site
        assertThat(fresh).isNotSameAs(b);
        assertThat(FreshState.differences(b, fresh, ReinitCorpusTest.CORPUS)).isEmpty();
    }

    @Test
    void otherSitesOfTheSameClassAllocateAsUsual() {
        Object a = loader.call(SITES, "plain");
        Shelf.release(a); // the object is of a pooled class now, so it goes to the pool...
        Object b = loader.call(SITES, "plain");
        assertThat(b).as("...but the unannotated site never draws from it").isNotSameAs(a);
    }

    @Test
    void aClassLoadedBeforeTheSiteIsRefusedWithAWarning() {
        Object a = loader.call(SITES, "tooLate");
        Shelf.release(a);
        assertThat(loader.call(SITES, "tooLate")).isNotSameAs(a);
        assertThat(warnings).contains("new dev.shelf.corpus.LoadedEarly at line")
                .contains("the class was loaded before this site without its pool");
    }
}
