package dev.shelf.agent.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Allocation shapes for {@link StraightLinePairingTest}: compiled by javac, paired both ways. Never run.
 */
@SuppressWarnings({"unused", "MismatchedQueryAndUpdateOfStringBuilder"})
class PairingShapes {

    long counter;
    int[] ints = new int[4];
    final StringBuilder built;

    PairingShapes(StringBuilder sb) {
        super();
        this.built = sb;
    }

    /** {@code this(...)} with a {@code new} in its arguments. */
    PairingShapes(int x) {
        this(new StringBuilder(String.valueOf(new Object[]{new Object(), x}.length)));
    }

    /** {@code this(...)} with a ternary in its arguments: the cheap pass must give up. */
    PairingShapes(boolean flag) {
        this(flag ? new StringBuilder("a") : new StringBuilder());
    }

    static Object nestedInArguments() {
        return new Pair(new StringBuilder("a").append(new Object()), new ArrayList<>(List.of(new Object())), 1L, 2.0);
    }

    static Object ternaryInArguments(boolean flag) {
        return new Pair(flag ? new StringBuilder() : null, new ArrayList<>(), 1L, 2.0);
    }

    static Object conditionalAndInArguments(boolean a, boolean b) {
        return new StringBuilder(String.valueOf(a && b));
    }

    static Object switchInArguments(int k) {
        return new StringBuilder(switch (k) {
            case 1 -> "one";
            case 2 -> "two";
            default -> "many";
        });
    }

    static Supplier<Object> insideLambda() {
        return () -> new Pair(new StringBuilder(), new ArrayList<>(), 3L, 4.0);
    }

    static int inLoop(int n) {
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += new StringBuilder().append(i).length();
        }
        return total;
    }

    Object incrementsInArguments(int i) {
        return new Pair(new StringBuilder().append(counter++), new int[]{ints[i]++, ints[i] = 5}, counter += 2,
                (double) ints.length);
    }

    static Object concatenationInArguments(String s, int i) {
        return new StringBuilder("x" + s + i + new Object());
    }

    static Object insideTry() {
        try {
            return new StringBuilder(new Object().toString());
        } catch (RuntimeException e) {
            return new IllegalStateException(e);
        }
    }

    static Object anonymous(int captured) {
        return new Object() {
            @Override
            public String toString() {
                return new StringBuilder().append(captured).toString();
            }
        };
    }

    /** An inner class: javac stores the outer instance before {@code super(...)}. */
    final class Inner extends ArrayList<Object> {
        Inner(int capacity) {
            super(new ArrayList<>(capacity));
        }
    }

    static final class Pair {
        Pair(Object a, Object b, long c, double d) {
        }
    }
}
