package dev.shelf.internal.pool;

import dev.shelf.Pooled;
import dev.shelf.internal.ShelfRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The object-size estimate behind "bytes saved": field arithmetic plus the owned constant-length arrays the agent
 * declared when it registered the pool (the agent's side: {@code OwnedFieldsLinesTest}).
 */
class SizeEstimateTest {

    @SuppressWarnings("unused")
    static class Buffers {
        private final byte[] body = new byte[16 * 1024];          // owned: final, constant length
        final int[] offsets = {1, 2, 3};                           // owned: final, array initialiser
        private long[] scratch = new long[4];                      // owned: private, written only here
        private long[] reassigned = new long[100];                 // not owned: written by grow()
        byte[] exposed = new byte[1000];                           // not owned: anyone in the package may assign it
        private final char[] sized;                                // not constant: its length is a parameter
        private final List<String> tokens = new ArrayList<>();     // a container: not counted
        long id;

        Buffers() {
            this(8);
        }

        Buffers(int n) {
            sized = new char[n];
        }

        void grow() {
            reassigned = new long[200];
        }
    }

    @SuppressWarnings("unused")
    static class Small {
        int x;
        int y;
        String label;
    }

    @SuppressWarnings("unused")
    static class SmallWithList {
        final List<String> items = new ArrayList<>();
    }

    @Pooled
    static class Child {
    }

    @SuppressWarnings("unused")
    static class SmallWithPooledChild {
        final Child child = new Child();
    }

    @SuppressWarnings("unused")
    static class Unregistered {
        private final byte[] body = new byte[1024];
    }

    static class Base {
        final short[] base = new short[10];
        int a;
    }

    static class Derived extends Base {
        long b;
    }

    @Test
    void countsTheKeptArraysTheAgentDeclaredAtRegistration() {
        long body = SizeEstimate.align(16 + 16 * 1024);
        long scratch = SizeEstimate.align(16 + 4 * 8);
        // As the agent's registration passes it: kept arrays of constant length, and what reuse makes anew.
        ClassPool pool = ShelfRegistry.register(Buffers.class, 0, -1, "kept\tbody\t" + body + "\n"
                + "kept\tscratch\t" + scratch + "\n"
                + "remade\toffsets\t" + SizeEstimate.align(16 + 3 * 4) + "\tan array initialiser\n");
        SizeEstimate e = SizeEstimate.of(Buffers.class);
        assertThat(e.ownedArrays()).isEqualTo(body + scratch);
        assertThat(e.ownedArrayFields()).isEqualTo(2);
        assertThat(pool.remade()).isEqualTo("offsets\t" + SizeEstimate.align(16 + 3 * 4) + "\tan array initialiser\n");
        int r = SizeEstimate.REFERENCE;
        assertThat(e.shallow()).isEqualTo(SizeEstimate.align(SizeEstimate.HEADER + 7L * r + 8));
        assertThat(e.perObject()).isEqualTo(e.shallow() + e.ownedArrays());
        assertThat(e.small()).isFalse();
    }

    @Test
    void aClassWithoutAPoolCountsNoArrays() {
        // No registration, no class file read: the runtime knows owned arrays only from the agent (or measured).
        assertThat(SizeEstimate.of(Unregistered.class).ownedArrays()).isZero();
    }

    @Test
    void smallMeansLittleAndOwningNothing() {
        SizeEstimate small = SizeEstimate.of(Small.class);
        assertThat(small.shallow()).isLessThan(SizeEstimate.SMALL);
        assertThat(small.ownsState()).isFalse();
        assertThat(small.small()).isTrue();
        assertThat(SizeEstimate.of(SmallWithList.class).small()).as("a reused list may be worth it").isFalse();
        assertThat(SizeEstimate.of(SmallWithPooledChild.class).small()).as("owns a pooled child").isFalse();
    }

    @Test
    void aPooledSuperclassCountsThroughItsOwnRegistration() {
        ShelfRegistry.register(Base.class, 0, -1, "kept\tbase\t" + SizeEstimate.align(16 + 10 * 2) + "\n");
        ShelfRegistry.register(Derived.class, 0, -1, "");
        SizeEstimate e = SizeEstimate.of(Derived.class);
        assertThat(e.ownedArrays()).isEqualTo(SizeEstimate.align(16 + 10 * 2));
        assertThat(e.shallow()).isEqualTo(SizeEstimate.align(SizeEstimate.HEADER + SizeEstimate.REFERENCE + 4 + 8));
    }
}
