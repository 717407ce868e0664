package dev.shelf.internal;

import java.util.BitSet;
import java.util.Collection;
import java.util.Map;

/**
 * Lets a re-initialiser keep what the constructor allocated.
 *
 * <p>Pooling a request object is worth it mostly for what hangs off it: the 16 KiB buffer, the list that grew to
 * 200 entries. A re-initialiser that ran {@code new ArrayList<>()} again would throw exactly that away. So where the
 * constructor does {@code this.f = new ArrayList<>()} (or another JDK container made with no argument or a capacity,
 * or a primitive array of constant length) and {@code f} is <em>owned</em> — assigned nowhere but there — the
 * re-initialiser asks these methods for the old container, emptied, and allocates only when there is none of the
 * exact same class. An emptied container of the exact class made by the same expression is indistinguishable from
 * a new one; only its capacity differs, and capacity is the point.
 */
public final class Reuse {

    private Reuse() {
    }

    /**
     * The old container, emptied, if it is of exactly {@code type}.
     *
     * @param old  what the field holds now (may be {@code null})
     * @param type the class the constructor would allocate
     * @return {@code old}, emptied; or {@code null} when the caller must allocate
     */
    public static Object cleared(Object old, Class<?> type) {
        if (old == null || old.getClass() != type) {
            return null;
        }
        return empty(old) ? old : null;
    }

    /**
     * The old primitive array, zeroed, if it has exactly the type and length the constructor would allocate.
     *
     * @param old       what the field holds now (may be {@code null})
     * @param arrayType e.g. {@code byte[].class}
     * @param length    the constant length in the constructor
     * @return {@code old}, zeroed; or {@code null} when the caller must allocate
     */
    public static Object zeroed(Object old, Class<?> arrayType, int length) {
        if (old == null || old.getClass() != arrayType) {
            return null;
        }
        ZeroFill zeroes = ZeroFill.of(arrayType);
        if (zeroes == null || java.lang.reflect.Array.getLength(old) != length) {
            return null;
        }
        zeroes.zero(old, length);
        return old;
    }

    /**
     * Empties an owned container when its object is released, so that it pins none of its elements while idle.
     *
     * @param owned the container (may be {@code null})
     */
    public static void scrub(Object owned) {
        if (owned != null) {
            empty(owned);
        }
    }

    private static boolean empty(Object o) {
        if (o instanceof Collection<?> c) {
            c.clear();
        } else if (o instanceof Map<?, ?> m) {
            m.clear();
        } else if (o instanceof StringBuilder sb) {
            sb.setLength(0);
        } else if (o instanceof StringBuffer sb) {
            sb.setLength(0);
        } else if (o instanceof BitSet b) {
            b.clear();
        } else {
            return false;
        }
        return true;
    }
}
