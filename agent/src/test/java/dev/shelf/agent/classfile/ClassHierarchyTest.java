package dev.shelf.agent.classfile;

import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The common superclass that frame computation asks for, answered from class-file headers alone. */
class ClassHierarchyTest {

    private final ClassFileLocator locator =
            ClassFileLocator.ForClassLoader.of(ClassHierarchyTest.class.getClassLoader());
    private final ClassHierarchy hierarchy = new ClassHierarchy(locator);

    static class Base {
    }

    static class Left extends Base {
    }

    static class Right extends Base {
    }

    static class FarLeft extends Left {
    }

    static class Failure extends IllegalStateException {
    }

    interface Marker {
    }

    @Test
    void nearestSharedSuperclassOfTwoClasses() {
        assertThat(hierarchy.commonSuperClass("java/util/ArrayList", "java/util/LinkedList"))
                .isEqualTo("java/util/AbstractList");
        assertThat(hierarchy.commonSuperClass(internal(FarLeft.class), internal(Right.class)))
                .isEqualTo(internal(Base.class));
        assertThat(hierarchy.commonSuperClass(internal(FarLeft.class), internal(Left.class)))
                .isEqualTo(internal(Left.class));
        assertThat(hierarchy.commonSuperClass(internal(Left.class), internal(Left.class)))
                .isEqualTo(internal(Left.class));
        assertThat(hierarchy.commonSuperClass(internal(Left.class), "java/lang/String")).isEqualTo("java/lang/Object");
        assertThat(hierarchy.commonSuperClass(internal(Failure.class), "java/lang/IllegalArgumentException"))
                .isEqualTo("java/lang/RuntimeException");
    }

    @Test
    void anInterfaceMeetsAnythingAtObject() {
        assertThat(hierarchy.commonSuperClass("java/util/List", "java/util/ArrayList")).isEqualTo("java/lang/Object");
        assertThat(hierarchy.commonSuperClass("java/util/ArrayList", "java/lang/Runnable"))
                .isEqualTo("java/lang/Object");
    }

    @Test
    void aMissingClassFileIsNamed() {
        assertThatThrownBy(() -> hierarchy.commonSuperClass("no/such/Type", "java/lang/String"))
                .isInstanceOf(TypeNotPresentException.class).hasMessageContaining("no.such.Type");
    }

    /** Only application types count: they make a rewrite depend on another class's bytes (shelf.cache.dir). */
    @Test
    void applicationTypesAreCountedJdkTypesAreNot() {
        int before = hierarchy.lookups();
        hierarchy.commonSuperClass("java/util/ArrayList", "java/util/LinkedList");
        assertThat(hierarchy.lookups()).isEqualTo(before);
        hierarchy.commonSuperClass(internal(Left.class), internal(Right.class));
        assertThat(hierarchy.lookups()).as("Shelf's own classes are not the application's").isEqualTo(before);
        assertThat(hierarchy.commonSuperClass("org/assertj/core/api/Assertions", "org/junit/jupiter/api/Assertions"))
                .isEqualTo("java/lang/Object");
        assertThat(hierarchy.lookups()).isGreaterThan(before);
    }

    /** Each writer says whether its own frame computation read an application type: what the cache keys rely on. */
    @Test
    void aWriterKnowsWhetherItReadAnApplicationType() {
        HierarchyClassWriter jdkOnly = new HierarchyClassWriter(null, 0, hierarchy);
        jdkOnly.getCommonSuperClass("java/util/ArrayList", "java/util/LinkedList");
        jdkOnly.getCommonSuperClass(internal(Left.class), internal(Right.class)); // Shelf's own: not the application's
        assertThat(jdkOnly.readApplicationType()).isFalse();

        HierarchyClassWriter application = new HierarchyClassWriter(null, 0, hierarchy);
        application.getCommonSuperClass("org/assertj/core/api/Assertions", "org/junit/jupiter/api/Assertions");
        assertThat(application.readApplicationType()).isTrue();
        assertThat(jdkOnly.readApplicationType()).as("another writer's reads are not this one's").isFalse();
    }

    /**
     * Every pair of a corpus of JDK and test types, against Byte Buddy's {@code TypePool} (which answered before):
     * the same answer for each.
     */
    @Test
    void agreesWithByteBuddysTypePoolOnEveryPairOfACorpus() {
        List<Class<?>> corpus = List.of(Object.class, String.class, Integer.class, Long.class, Number.class,
                ArrayList.class, java.util.LinkedList.class, java.util.AbstractList.class, java.util.HashMap.class,
                java.util.TreeMap.class, java.util.LinkedHashMap.class, List.class, Runnable.class, Exception.class,
                RuntimeException.class, IllegalStateException.class, IllegalArgumentException.class,
                java.io.IOException.class, java.io.UncheckedIOException.class, Thread.class, StringBuilder.class,
                java.util.concurrent.ConcurrentHashMap.class, Base.class, Left.class, Right.class, FarLeft.class,
                Failure.class, Marker.class, Error.class);
        TypePool pool = TypePool.Default.of(locator);
        List<String> disagreements = new ArrayList<>();
        for (Class<?> a : corpus) {
            for (Class<?> b : corpus) {
                String expected = byTypePool(pool, internal(a), internal(b));
                String actual = hierarchy.commonSuperClass(internal(a), internal(b));
                if (!expected.equals(actual)) {
                    disagreements.add(a.getName() + " / " + b.getName() + ": " + actual + " instead of " + expected);
                }
            }
        }
        assertThat(disagreements).isEmpty();
    }

    /** What {@code TypePoolClassWriter} answered with Byte Buddy's type descriptions. */
    private static String byTypePool(TypePool pool, String type1, String type2) {
        if (type1.equals(type2)) {
            return type1;
        }
        TypeDescription a = pool.describe(type1.replace('/', '.')).resolve();
        TypeDescription b = pool.describe(type2.replace('/', '.')).resolve();
        if (a.isInterface() || b.isInterface()) {
            return "java/lang/Object";
        }
        Set<String> chainOfA = new HashSet<>();
        for (TypeDefinition t = a; t != null; t = t.getSuperClass()) {
            chainOfA.add(t.asErasure().getInternalName());
        }
        for (TypeDefinition t = b; t != null; t = t.getSuperClass()) {
            if (chainOfA.contains(t.asErasure().getInternalName())) {
                return t.asErasure().getInternalName();
            }
        }
        return "java/lang/Object";
    }

    private static String internal(Class<?> c) {
        return c.getName().replace('.', '/');
    }
}
