package dev.shelf.agent;

import dev.shelf.PoolMisuseException;
import dev.shelf.Shelf;
import dev.shelf.internal.Strict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Strict mode ({@code shelf.mode=strict}) turns the three ways to corrupt pooled data into exceptions at the line
 * that does it: a second release, a use after release (field read, field write, method call — also inside a
 * callee), and a release of something that was never pooled.
 */
class StrictModeTest {

    static final String MISUSE = ReinitCorpusTest.CORPUS + ".Misuse";
    static final String SITES = ReinitCorpusTest.CORPUS + ".Sites";
    static ShelfTestLoader loader;

    @BeforeAll
    static void strict() {
        loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS, true);
        Strict.enable(true);
    }

    @AfterAll
    static void normal() {
        Strict.enable(false);
    }

    @Test
    void correctUsePassesEveryCheck() {
        assertThat(loader.call(MISUSE, "correctUse")).isEqualTo(7L);
        assertThat(loader.call(MISUSE, "correctUse")).isEqualTo(7L);
    }

    @Test
    void doubleReleaseThrowsNamingTheClassAndTheFirstRelease() {
        Object b = loader.call(MISUSE, "released");
        assertThatThrownBy(() -> Shelf.release(b))
                .isInstanceOf(PoolMisuseException.class).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("double release of a dev.shelf.corpus.OwnedBuffers@")
                .cause().hasMessage("released here")
                .satisfies(c -> assertThat(c.getStackTrace()).anyMatch(e -> e.getMethodName().equals("released")));
    }

    @Test
    void useAfterReleaseInACalleeThrowsWithTheReleaseSite() {
        Object b = loader.call(MISUSE, "released");
        assertThatThrownBy(() -> loader.call(MISUSE, "callee", b))
                .isInstanceOf(PoolMisuseException.class)
                .hasMessageContaining("use of a dev.shelf.corpus.OwnedBuffers@")
                .hasMessageContaining("after it was released")
                .cause().satisfies(c -> assertThat(c.getStackTrace())
                        .anyMatch(e -> e.getClassName().equals(MISUSE) && e.getMethodName().equals("released")));
    }

    @Test
    void fieldReadsAndWritesOfAReleasedObjectThrow() {
        Object w = loader.call(SITES, "withArguments", 1L, 1.0, 1, null);
        Shelf.release(w);
        assertThatThrownBy(() -> loader.call(MISUSE, "readField", w)).isInstanceOf(PoolMisuseException.class);
        assertThatThrownBy(() -> loader.call(MISUSE, "writeWideField", w, 5L))
                .isInstanceOf(PoolMisuseException.class);
        assertThatThrownBy(() -> loader.call(MISUSE, "writeField", w, "x")).isInstanceOf(PoolMisuseException.class);
    }

    @Test
    void foreignReleasesAreReported() {
        assertThatThrownBy(() -> Shelf.release(null)).isInstanceOf(PoolMisuseException.class)
                .hasMessageContaining("release of null");
        assertThatThrownBy(() -> Shelf.release("not pooled")).isInstanceOf(PoolMisuseException.class)
                .hasMessageContaining("release of a java.lang.String@").hasMessageContaining("not a pooled class");
    }

    @Test
    void theObjectIsUsableAgainOnceTheNextNewHandsItOut() {
        Object b = loader.call(MISUSE, "released");
        Object again = loader.call(SITES, "ownedBuffers");
        assertThat(again).isSameAs(b);
        assertThat(loader.call(MISUSE, "callee", again)).isEqualTo(0);
        Object fresh = loader.call(SITES, "ownedBuffers"); // the pool is empty: a fresh object from the same site
        assertThat(fresh).isNotSameAs(again);
        assertThat(FreshState.differences(again, fresh, ReinitCorpusTest.CORPUS))
                .as("the release site recorded in strict mode is forgotten when the object is handed out").isEmpty();
    }
}
