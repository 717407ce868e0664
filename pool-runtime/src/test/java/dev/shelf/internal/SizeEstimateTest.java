package dev.shelf.internal;

import dev.shelf.Pooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The object-size estimate behind "bytes saved": field arithmetic plus owned constant-length arrays. */
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

    static class Base {
        final short[] base = new short[10];
        int a;
    }

    static class Derived extends Base {
        long b;
    }

    @Test
    void countsOwnedPrimitiveArraysOfConstantLengthOnly() {
        SizeEstimate e = SizeEstimate.of(Buffers.class);
        long body = SizeEstimate.align(16 + 16 * 1024);
        long offsets = SizeEstimate.align(16 + 3 * 4);
        long scratch = SizeEstimate.align(16 + 4 * 8);
        assertThat(e.ownedArrays()).isEqualTo(body + offsets + scratch);
        assertThat(e.ownedArrayFields()).isEqualTo(3);
        assertThat(e.arraysScanned()).isTrue();
        int r = SizeEstimate.REFERENCE;
        assertThat(e.shallow()).isEqualTo(SizeEstimate.align(SizeEstimate.HEADER + 7L * r + 8));
        assertThat(e.perObject()).isEqualTo(e.shallow() + e.ownedArrays());
        assertThat(e.small()).isFalse();
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
    void superclassFieldsAndArraysCount() {
        SizeEstimate e = SizeEstimate.of(Derived.class);
        assertThat(e.ownedArrays()).isEqualTo(SizeEstimate.align(16 + 10 * 2));
        assertThat(e.shallow()).isEqualTo(SizeEstimate.align(SizeEstimate.HEADER + SizeEstimate.REFERENCE + 4 + 8));
    }

    @Test
    void somethingThatIsNotAClassFileIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> SizeEstimate.ownedConstantArrays(new byte[] {1, 2, 3, 4})).isInstanceOf(java.io.IOException.class);
        // The JDK's own classes are read through jrt: like any other.
        assertThat(SizeEstimate.of(java.util.concurrent.atomic.AtomicLong.class).arraysScanned()).isTrue();
    }
}
