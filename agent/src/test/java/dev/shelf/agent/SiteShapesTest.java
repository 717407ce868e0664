package dev.shelf.agent;

import dev.shelf.Shelf;
import dev.shelf.ShelfStats;
import dev.shelf.internal.ClassShelf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of code a {@code new} can sit in is rewritten, and a rewritten site really draws from the pool: after a
 * release on this thread, the site returns the released instance.
 */
class SiteShapesTest {

    static final String SITES = ReinitCorpusTest.CORPUS + ".Sites";
    static ShelfTestLoader loader;

    @BeforeAll
    static void load() {
        loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
    }

    /** This loader's pool of a corpus class (other test classes load the same names in other loaders). */
    static ShelfStats.PoolStats pool(String simpleName) {
        try {
            java.lang.reflect.Field f = loader.loadClass(ReinitCorpusTest.CORPUS + "." + simpleName)
                    .getDeclaredField("$shelf$pool");
            f.setAccessible(true);
            return ((ClassShelf) f.get(null)).snapshot();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(simpleName + " has no pool", e);
        }
    }

    private static Object holderField(Object holder, String name) throws Exception {
        return holder.getClass().getField(name).get(holder);
    }

    @Test
    void nestedNewInsideArgumentsOfANonPooledConstructor() throws Exception {
        Object holder = loader.call(SITES, "nested");
        Object primitives = holderField(holder, "first");
        Object references = holderField(holderField(holder, "second"), "first");
        Shelf.release(primitives);
        Shelf.release(references);

        Object again = loader.call(SITES, "nested");

        assertThat(holderField(again, "first")).isSameAs(primitives);
        assertThat(holderField(holderField(again, "second"), "first")).isSameAs(references);
        assertThat(again).as("Holder is not pooled").isNotSameAs(holder);
    }

    @Test
    void bothBranchesOfATernary() throws Exception {
        Object a = holderField(loader.call(ReinitCorpusTest.CORPUS + ".BranchySites", "ternary", true), "first");
        Shelf.release(a);
        assertThat(holderField(loader.call(ReinitCorpusTest.CORPUS + ".BranchySites", "ternary", true), "first")).isSameAs(a);

        Object h = loader.call(ReinitCorpusTest.CORPUS + ".BranchySites", "ternary", false);
        Object counting = holderField(h, "first");
        Object blocks = holderField(h, "second");
        Shelf.release(counting);
        Shelf.release(blocks);
        Object h2 = loader.call(ReinitCorpusTest.CORPUS + ".BranchySites", "ternary", false);
        assertThat(holderField(h2, "first")).isSameAs(counting);
        assertThat(holderField(h2, "second")).isSameAs(blocks);
    }

    @Test
    @SuppressWarnings("unchecked")
    void insideALambda() {
        Supplier<Object> supplier = (Supplier<Object>) loader.call(SITES, "lambda");
        Object a = supplier.get();
        Shelf.release(a);
        assertThat(supplier.get()).isSameAs(a);
    }

    @Test
    void inALoopWithLongAndDoubleLocals() {
        // Each iteration releases its object, so one object serves the whole loop; the arithmetic proves that every
        // iteration saw a correctly re-initialised object: id = i and total = (long) (1.5 * 2).
        long expected = 0;
        for (int i = 0; i < 100; i++) {
            expected += 3 + i;
        }
        long reusedBefore = pool("WithArguments").reused();
        assertThat(loader.call(SITES, "loop", 100)).isEqualTo(expected * 1.5);
        assertThat(pool("WithArguments").reused() - reusedBefore).isGreaterThanOrEqualTo(99);
    }

    @Test
    void insideASwitchExpression() {
        Object p = loader.call(SITES, "switchExpression", 0);
        Object r = loader.call(SITES, "switchExpression", 1);
        Shelf.release(p);
        Shelf.release(r);
        assertThat(loader.call(SITES, "switchExpression", 1)).isSameAs(r);
        assertThat(loader.call(SITES, "switchExpression", 0)).isSameAs(p);
        assertThat(loader.call(SITES, "switchExpression", 2)).isEqualTo("none");
    }

    @Test
    void inAStaticInitialiserAndWithTheResultDiscarded() throws Exception {
        Class<?> sites = loader.loadClass(SITES);
        Object fromClinit = sites.getField("STATIC_ONE").get(null);
        Shelf.release(fromClinit);
        assertThat(loader.call(SITES, "primitives")).isSameAs(fromClinit);

        long before = pool("Counting").acquired();
        loader.call(SITES, "discarded");
        assertThat(pool("Counting").acquired()).isEqualTo(before + 1);
    }

    @Test
    void bothPooledInNewANewB() throws Exception {
        Object pair = loader.call(SITES, "pairOfPrimitives");
        Object left = pair.getClass().getDeclaredField("left");
        java.lang.reflect.Field f = pair.getClass().getDeclaredField("left");
        f.setAccessible(true);
        Object inner = f.get(pair);
        Shelf.release(pair);
        Shelf.release(inner);
        Object again = loader.call(SITES, "pairOfPrimitives");
        assertThat(again).isSameAs(pair);
        assertThat(f.get(again)).isSameAs(inner);
        assertThat(left).isNotNull();
    }

    @Test
    void inAnotherClassesConstructorAndInAnInterfaceDefaultMethod() throws Exception {
        Object part = holderField(loader.call(SITES, "assembler"), "part");
        Shelf.release(part);
        assertThat(holderField(loader.call(SITES, "assembler"), "part")).isSameAs(part);

        Object made = loader.call(SITES, "fromDefaultMethod");
        Shelf.release(made);
        assertThat(loader.call(SITES, "fromDefaultMethod")).isSameAs(made);
    }

    @Test
    void inTryWithResources() throws Exception {
        Object r = loader.call(SITES, "tryWithResources");
        Object again = loader.call(SITES, "tryWithResources");
        assertThat(again).isSameAs(r);
        java.lang.reflect.Field uses = r.getClass().getDeclaredField("uses");
        uses.setAccessible(true);
        assertThat(uses.getInt(again)).as("re-initialised, then used once").isEqualTo(1);
    }

    @Test
    void aLambdaFieldCapturingThisSeesTheReusedObject() throws Exception {
        Object c = loader.call(SITES, "callbacks");
        java.lang.reflect.Field base = c.getClass().getDeclaredField("base");
        base.setAccessible(true);
        base.setInt(c, 99);
        Shelf.release(c);
        Object again = loader.call(SITES, "callbacks");
        assertThat(again).isSameAs(c);
        assertThat(again.getClass().getMethod("doubled").invoke(again)).isEqualTo(20);
    }

    @Test
    void subclassAndSuperclassObjectsNeverShareAPool() {
        Object two = loader.call(SITES, "level2");
        Object three = loader.call(SITES, "level3", 3L);
        Shelf.release(two);
        Shelf.release(three);
        assertThat(loader.call(SITES, "level2")).isSameAs(two);
        assertThat(loader.call(SITES, "level3", 4L)).isSameAs(three);
    }
}
