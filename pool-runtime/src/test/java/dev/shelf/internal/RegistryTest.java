package dev.shelf.internal;

import dev.shelf.Pooled;
import dev.shelf.ShelfStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry: binding pools to classes, the release path with and without its hint, per-class settings. */
class RegistryTest {

    static final class Alpha {
    }

    static final class Beta {
    }

    static class Parent {
    }

    static final class UnpooledChild extends Parent {
    }

    @Pooled(maxShared = 0)
    static final class NoSharing {
    }

    @Pooled(maxShared = 64)
    static final class SomeSharing {
    }

    @Test
    void releaseFindsThePoolOfTheExactClass() {
        ShelfRegistry.activate(16, 32, false);
        ClassShelf alpha = ShelfRegistry.register(Alpha.class, 0);
        ClassShelf beta = ShelfRegistry.register(Beta.class, 4);
        ClassShelf parent = ShelfRegistry.register(Parent.class, 0);
        assertThat(alpha.capacity()).isEqualTo(16);
        assertThat(beta.capacity()).isEqualTo(4);

        // Alternating classes: the hint misses every other time and the ClassValue answers.
        Alpha a = new Alpha();
        Beta b = new Beta();
        for (int i = 0; i < 100; i++) {
            ShelfRegistry.release(a);
            ShelfRegistry.release(b);
            assertThat(alpha.acquire()).isSameAs(a);
            assertThat(beta.acquire()).isSameAs(b);
        }
        // The same class again and again: the hint answers.
        for (int i = 0; i < 100; i++) {
            ShelfRegistry.release(a);
            assertThat(alpha.acquire()).isSameAs(a);
        }

        // A subclass that is not pooled itself never lands in its parent's pool.
        ShelfRegistry.release(new UnpooledChild());
        assertThat(parent.acquire()).isNull();
        assertThat(parent.snapshot().released()).isZero();

        ShelfStats stats = ShelfRegistry.snapshot();
        assertThat(stats.active()).isTrue();
        assertThat(stats.pool(Alpha.class.getName())).hasValueSatisfying(p -> {
            assertThat(p.released()).isEqualTo(200);
            assertThat(p.reused()).isEqualTo(200);
        });
    }

    @Test
    void pooledMaxSharedOverridesTheDepotSize() {
        ShelfRegistry.activate(16, 32, false);
        assertThat(ShelfRegistry.register(NoSharing.class, 0).sharedCapacity()).isZero();
        assertThat(ShelfRegistry.register(SomeSharing.class, 0).sharedCapacity()).isEqualTo(64);
        assertThat(ShelfRegistry.annotatedMaxShared(Alpha.class)).as("no annotation: the default").isEqualTo(-1);
    }

    @Test
    void activationRejectsNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ShelfRegistry.activate(0, 1, false))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ShelfRegistry.activate(1, -1, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statsKeepTheirFirstReleaseShape() {
        ShelfStats.PoolStats old = new ShelfStats.PoolStats("x", 64, 100, 90, 10, 100, 2, 8);
        assertThat(old.evicted()).isZero();
        assertThat(old.hitRatio()).isEqualTo(0.9);
    }
}
