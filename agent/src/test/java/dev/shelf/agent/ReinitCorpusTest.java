package dev.shelf.agent;

import dev.shelf.Shelf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The core promise: an object that went back to the pool and came out again is indistinguishable from one built by
 * its constructor. Each case builds an object through a rewritten {@code new}, scrambles every field, releases it,
 * builds again with other arguments on the same thread, and checks that (1) the pool handed back the same instance
 * and (2) it equals, field by field and recursively, a fresh object from the same site: the same {@code new} run
 * again while the pool is empty, so that the factory allocates with the real constructor. Every field counts,
 * Shelf's own {@code $shelf$state} included, which holds the number of the site that handed the object out; an
 * object built by reflection (no site) differs from both in that number only.
 */
class ReinitCorpusTest {

    static final String CORPUS = "dev.shelf.corpus";
    static ShelfTestLoader loader;

    @BeforeAll
    static void load() {
        loader = new ShelfTestLoader(CORPUS);
    }

    /**
     * One pooled shape.
     *
     * @param type   simple class name in the corpus
     * @param site   the {@code Sites} method that says {@code new type(...)}
     * @param params the constructor's parameter types
     * @param first  arguments of the first life
     * @param second arguments of the second life
     */
    record Case(String type, String site, List<Class<?>> params, Object[] first, Object[] second) {
        @Override
        public String toString() {
            return type + "." + site + "/" + params.size();
        }
    }

    static Stream<Case> corpus() {
        Object ownerA = new Object();
        Object ownerB = new Object();
        // Corpus classes come from the Shelf loader, so arguments of corpus types must too.
        Class<?> customer = corpusClass("Customer");
        Object customerA = newCustomer(customer, "a");
        Object customerB = newCustomer(customer, "b");
        return Stream.of(
                new Case("Primitives", "primitives", List.of(), new Object[0], new Object[0]),
                new Case("References", "references", List.of(), new Object[0], new Object[0]),
                new Case("InitBlocks", "initBlocks", List.of(), new Object[0], new Object[0]),
                new Case("WithArguments", "withArguments", List.of(long.class, double.class, int.class, Object.class),
                        new Object[]{11L, 2.5, 3, ownerA}, new Object[]{Long.MAX_VALUE, -0.0, 0, ownerB}),
                new Case("Delegating", "delegating", List.of(), new Object[0], new Object[0]),
                new Case("Delegating", "delegating", List.of(long.class), new Object[]{5L}, new Object[]{6L}),
                new Case("Delegating", "delegating", List.of(long.class, double.class), new Object[]{1L, 0.0},
                        new Object[]{2L, 0.25}),
                new Case("PooledChild", "child", List.of(long.class), new Object[]{1L}, new Object[]{99L}),
                new Case("Generic", "generic", List.of(Comparable.class), new Object[]{"a"}, new Object[]{"b"}),
                new Case("ControlFlow", "controlFlow", List.of(String.class, int.class), new Object[]{"1, x, 3", 2},
                        new Object[]{"4,5", 0}),
                new Case("Throwing", "throwing", List.of(int.class), new Object[]{4}, new Object[]{8}),
                new Case("Order", "order", List.of(long.class, customer),
                        new Object[]{1L, customerA}, new Object[]{2L, customerB}),
                new Case("Order", "order", List.of(long.class, customer, double.class),
                        new Object[]{3L, customerA, 0.1}, new Object[]{4L, customerB, 0.2}),
                new Case("Envelope", "envelope", List.of(String.class), new Object[]{"a"}, new Object[]{"b"}),
                new Case("StaticNested$Node", "node", List.of(int.class), new Object[]{1}, new Object[]{2}),
                new Case("Varargs", "varargs", List.of(String[].class), new Object[]{new String[]{"a", "b"}},
                        new Object[]{new String[]{"c"}}),
                new Case("Grid", "grid", List.of(int.class), new Object[]{5}, new Object[]{6}),
                new Case("Modifiers", "modifiers", List.of(), new Object[0], new Object[0]),
                new Case("Level2", "level2", List.of(), new Object[0], new Object[0]),
                new Case("Level3", "level3", List.of(long.class), new Object[]{30L}, new Object[]{31L}),
                new Case("CallsMethods", "callsMethods", List.of(String.class), new Object[]{" A "},
                        new Object[]{null}),
                new Case("StringSwitch", "stringSwitch", List.of(String.class), new Object[]{"POST"},
                        new Object[]{"PUT"}),
                new Case("WideArguments", "wide",
                        List.of(long.class, int.class, double.class, long.class, char.class, float.class),
                        new Object[]{1L, 2, 3.0, 4L, 'e', 6f}, new Object[]{-1L, -2, -3.5, Long.MIN_VALUE, 'z', 0.5f}),
                new Case("WithStaticState", "withStaticState", List.of(), new Object[0], new Object[0]),
                new Case("ConditionalInit", "conditionalInit", List.of(int.class), new Object[]{3},
                        new Object[]{0}),
                new Case("MoreContainers", "moreContainers", List.of(int.class), new Object[]{7},
                        new Object[]{8}),
                new Case("ChildOfStateless", "childOfStateless", List.of(String.class), new Object[]{"x"},
                        new Object[]{"y"}),
                new Case("OwnedBuffers", "ownedBuffers", List.of(), new Object[0], new Object[0]),
                new Case("NotOwned", "notOwned", List.of(), new Object[0], new Object[0]),
                new Case("ComputedBuffers", "computedBuffers", List.of(int.class), new Object[]{7},
                        new Object[]{7}),
                new Case("ComputedBuffers", "computedBuffers", List.of(int.class), new Object[]{7},
                        new Object[]{12}),
                new Case("ComputedBuffers", "computedBuffers", List.of(int.class), new Object[]{12},
                        new Object[]{1}),
                new Case("ConfiguredRequest", "configuredRequest", List.of(), new Object[0], new Object[0]),
                new Case("SizedRequest", "sizedRequest", List.of(int.class), new Object[]{100},
                        new Object[]{100}),
                new Case("SizedRequest", "sizedRequest", List.of(int.class), new Object[]{100},
                        new Object[]{0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void reusedObjectEqualsFreshOne(Case c) throws Exception {
        Object first = loader.call(CORPUS + ".Sites", c.site(), c.first());
        FreshState.scramble(first, 42);
        Shelf.release(first);

        Object second = loader.call(CORPUS + ".Sites", c.site(), c.second());

        assertThat(second).as("the released instance comes back on the same thread").isSameAs(first);
        Object fresh = loader.call(CORPUS + ".Sites", c.site(), c.second());
        assertThat(fresh).as("the pool is empty now: a fresh object from the same site").isNotSameAs(second);
        assertThat(FreshState.differences(second, fresh, CORPUS)).as("differences from a fresh object").isEmpty();
        Object byReflection = constructor(c).newInstance(c.second());
        assertThat(FreshState.differences(second, byReflection, CORPUS)).as("differences from an object made by the "
                + "constructor outside any rewritten site: only the number of the site in Shelf's own state")
                .containsExactly(".$shelf$state: " + state(second) + " != 0");
    }

    @Test
    void innerClassGetsItsNewOuterInstance() throws Exception {
        Class<?> outerClass = loader.loadClass(CORPUS + ".Outer");
        Object outerA = outerClass.getConstructor(String.class).newInstance("alpha");
        Object outerB = outerClass.getConstructor(String.class).newInstance("be");
        Object first = loader.call(CORPUS + ".Sites", "inner", outerA);
        FreshState.scramble(first, 7);
        Shelf.release(first);

        Object second = loader.call(CORPUS + ".Sites", "inner", outerB);

        assertThat(second).isSameAs(first);
        Class<?> inner = loader.loadClass(CORPUS + ".Outer$Inner");
        Object fresh = loader.call(CORPUS + ".Sites", "inner", outerB);
        assertThat(fresh).isNotSameAs(second);
        assertThat(FreshState.differences(second, fresh, CORPUS)).isEmpty();
        assertThat(field(inner, "seen").get(second)).isEqualTo("inner of be");
    }

    @Test
    void withoutReleaseEveryNewIsADistinctObject() {
        Object a = loader.call(CORPUS + ".Sites", "primitives");
        Object b = loader.call(CORPUS + ".Sites", "primitives");
        assertThat(a).isNotSameAs(b);
    }

    @Test
    void lastReleasedIsFirstReused() {
        Object a = loader.call(CORPUS + ".Sites", "references");
        Object b = loader.call(CORPUS + ".Sites", "references");
        Shelf.release(a);
        Shelf.release(b);
        assertThat(loader.call(CORPUS + ".Sites", "references")).isSameAs(b);
        assertThat(loader.call(CORPUS + ".Sites", "references")).isSameAs(a);
    }

    @Test
    @SuppressWarnings("unchecked")
    void constructorSideEffectsRunOncePerNew() throws Exception {
        Class<?> counting = loader.loadClass(CORPUS + ".Counting");
        int before = counting.getField("constructed").getInt(null);
        Object a = loader.call(CORPUS + ".Sites", "counting");
        Shelf.release(a);
        Object b = loader.call(CORPUS + ".Sites", "counting");

        assertThat(b).isSameAs(a);
        assertThat(counting.getField("constructed").getInt(null)).isEqualTo(before + 2);
        List<Object> registered = (List<Object>) counting.getField("REGISTERED").get(null);
        assertThat(registered.subList(registered.size() - 2, registered.size())).containsExactly(a, b);
        assertThat(field(counting, "serial").getInt(b)).isEqualTo(before + 2);
    }

    @Test
    void constructorThatThrowsPropagatesAndTheObjectIsNotReused() {
        Object a = loader.call(CORPUS + ".Sites", "throwing", 1);
        Shelf.release(a);

        assertThatThrownBy(() -> loader.call(CORPUS + ".Sites", "throwing", -3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("negative: -3");

        Object next = loader.call(CORPUS + ".Sites", "throwing", 2);
        assertThat(next).as("the half-built object never goes back to the pool").isNotSameAs(a);
    }

    private static Class<?> corpusClass(String simpleName) {
        try {
            return loader.loadClass(CORPUS + "." + simpleName);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object newCustomer(Class<?> customer, String name) {
        try {
            return customer.getConstructor(String.class).newInstance(name);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.lang.reflect.Field field(Class<?> c, String name) throws NoSuchFieldException {
        java.lang.reflect.Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private static Constructor<?> constructor(Case c) throws Exception {
        Constructor<?> ctor = loader.loadClass(CORPUS + "." + c.type()).getDeclaredConstructor(
                c.params().toArray(new Class<?>[0]));
        ctor.setAccessible(true);
        return ctor;
    }

    /** @return the object's {@code $shelf$state}: its site's number shifted left, and the released bit */
    static int state(Object o) {
        try {
            java.lang.reflect.Field f = o.getClass().getDeclaredField("$shelf$state");
            f.setAccessible(true);
            return f.getInt(o);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
