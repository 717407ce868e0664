package dev.shelf.internal;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Reuse#zeroed}: an owned primitive array comes back all zeros, whatever its type and length (below, at and
 * across the zero block's size), and only when it is exactly what the constructor would allocate.
 */
class ReuseTest {

    private static final List<Class<?>> TYPES = List.of(byte[].class, boolean[].class, char[].class, short[].class,
            int[].class, float[].class, long[].class, double[].class);

    @Test
    void everyPrimitiveArrayOfEveryLengthComesBackAllZerosByCopyAndByFill() {
        for (boolean fill : new boolean[] {false, true}) {
            for (Class<?> type : TYPES) {
                ZeroFill.of(type).fillFromNowOn(fill);
                // Enough rounds that the copy path also runs a timed probe (every 16th large zeroing).
                for (int round = 0; round <= ZeroFill.PROBE_EVERY; round++) {
                    for (int length : new int[] {0, 1, 7, 511, 512, 513, 1024, 2048, 4095, 4096, 4097, 16 * 1024,
                            16 * 1024 + 3, 40_000}) {
                        Object a = Array.newInstance(type.getComponentType(), length);
                        scramble(a);
                        Object back = Reuse.zeroed(a, type, length);
                        assertThat(back).as("%s[%d]", type.getComponentType(), length).isSameAs(a);
                        assertThat(firstNonZero(a)).as("first non-zero element of %s[%d], fill=%s",
                                type.getComponentType(), length, fill).isEqualTo(-1);
                    }
                }
            }
        }
    }

    @Test
    void onlyPrimitiveArrayTypesHaveAZeroer() {
        for (Class<?> type : TYPES) {
            assertThat(ZeroFill.of(type)).as("%s", type).isNotNull();
        }
        assertThat(ZeroFill.of(Object[].class)).isNull();
        assertThat(ZeroFill.of(byte.class)).isNull();
    }

    @Test
    void anArrayOfAnotherTypeOrLengthIsNotReused() {
        byte[] bytes = {1, 2, 3};
        assertThat(Reuse.zeroed(bytes, byte[].class, 4)).isNull();
        assertThat(Reuse.zeroed(bytes, char[].class, 3)).isNull();
        assertThat(Reuse.zeroed(null, byte[].class, 3)).isNull();
        assertThat(Reuse.zeroed(new String[3], String[].class, 3)).as("not a primitive array").isNull();
        assertThat(bytes).as("left untouched when refused").containsExactly(1, 2, 3);
    }

    private static void scramble(Object a) {
        for (int i = 0; i < Array.getLength(a); i++) {
            if (a instanceof boolean[] b) {
                b[i] = true;
            } else if (a instanceof char[] c) {
                c[i] = (char) (i | 1);
            } else {
                // byte, short, int, long, float, double: Array.set widens an int to each
                Array.set(a, i, narrow(a, i | 1));
            }
        }
    }

    private static Object narrow(Object a, int v) {
        Class<?> t = a.getClass().getComponentType();
        return t == byte.class ? (Object) (byte) v : t == short.class ? (Object) (short) v : t == int.class
                ? (Object) v : t == long.class ? (Object) (long) v : t == float.class ? (Object) (float) v
                : (Object) (double) v;
    }

    private static int firstNonZero(Object a) {
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < Array.getLength(a) && bad.isEmpty(); i++) {
            Object v = Array.get(a, i);
            boolean zero = v instanceof Boolean b ? !b : ((Number) (v instanceof Character c ? (int) c : v))
                    .doubleValue() == 0;
            if (!zero) {
                bad.add(i);
            }
        }
        return bad.isEmpty() ? -1 : bad.get(0);
    }
}
