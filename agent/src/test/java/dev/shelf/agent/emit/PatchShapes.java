package dev.shelf.agent.emit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Straight-line allocation sites of {@link Target} for {@link SitePatcherTest}, which pretends {@code Target} is
 * pooled and gives it factories of its own ({@code $shelf$new(int site, ...)}) so that patched copies of this class
 * can run.
 */
@SuppressWarnings("unused")
class PatchShapes {

    static final Target CONSTANT = new Target();

    final Target owned;
    final List<Target> all = new ArrayList<>();

    PatchShapes() {
        this(new Target("this(...)", 1));
    }

    PatchShapes(Target first) {
        this.owned = new Target("field", 2);
        all.add(first);
        all.add(owned);
    }

    /** Several sites, one inside another's arguments, with wide (long, double) arguments in between. */
    static List<Object> nested(int n) {
        List<Object> out = new ArrayList<>();
        out.add(new Target(new Target("inner", n).label() + "/outer", 3L, 2.5, new Target()));
        for (int i = 0; i < n; i++) {
            out.add(new Target("loop", i));
        }
        try {
            out.add(new Target(String.valueOf(n), n * 2));
        } finally {
            out.add(new StringBuilder("not pooled"));
        }
        Supplier<Target> later = () -> new Target("lambda", 7);
        out.add(later.get());
        return out;
    }

    /** A site whose {@code new} carries a type annotation (a class of its own: it is not patched in place). */
    static final class TaggedSite {
        static Object tagged() {
            return new @Tagged Target("tagged", 9);
        }
    }

    /** A type-use annotation kept in the class file. */
    @Retention(RetentionPolicy.CLASS)
    @java.lang.annotation.Target(ElementType.TYPE_USE)
    @interface Tagged {
    }

    /** Counts how it was made: by its constructor directly, or by its factory. */
    static final class Target {
        static final List<Integer> SITES = new ArrayList<>();

        final String label;
        final long wide;
        final double real;
        final Object more;

        Target() {
            this("none", 0);
        }

        Target(String label, int n) {
            this(label, n, 0.0, null);
        }

        Target(String label, long wide, double real, Object more) {
            this.label = label;
            this.wide = wide;
            this.real = real;
            this.more = more;
        }

        String label() {
            return label;
        }

        @Override
        public String toString() {
            return label + ":" + wide + ":" + real + ":" + more;
        }

        // The factories a pooled Target would get: here they record the site and construct.
        public static Target $shelf$new(int site) {
            SITES.add(site);
            return new Target();
        }

        public static Target $shelf$new(int site, String label, int n) {
            SITES.add(site);
            return new Target(label, n);
        }

        public static Target $shelf$new(int site, String label, long wide, double real, Object more) {
            SITES.add(site);
            return new Target(label, wide, real, more);
        }
    }
}
