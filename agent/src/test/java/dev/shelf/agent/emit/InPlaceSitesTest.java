package dev.shelf.agent.emit;

import dev.shelf.agent.classfile.ClassHierarchy;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.decide.PoolingDecisions;
import dev.shelf.agent.plan.MethodsWithSites;
import dev.shelf.agent.plan.SiteNumbers;
import dev.shelf.agent.plan.StraightLinePairing;

import net.bytebuddy.dynamic.ClassFileLocator;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Finding straight-line sites in the bytes ({@link InPlaceSites}) gives exactly what the tree gives
 * ({@link StraightLinePairing} and {@link SiteRewriter}, then {@link SitePatcher}) — the same class file byte for
 * byte, the same sites with the same lines and numbers, the same places of the numbers — or gives nothing and leaves
 * the class to the tree. Checked over the JDK's own classes with four JDK classes pretended pooled, and on the shapes
 * of {@link PatchShapes}.
 */
class InPlaceSitesTest {

    private static final ClassHierarchy TYPES = new ClassHierarchy(
            ClassFileLocator.ForClassLoader.of(InPlaceSitesTest.class.getClassLoader()));

    /** Numbers sites 1, 2, ... in the order they are asked for, as the runtime does per pooled class. */
    private static SiteNumbers counting() {
        Map<String, Integer> numbers = new HashMap<>();
        return (pooled, site) -> numbers.computeIfAbsent(pooled + " " + site, k -> numbers.size() + 1);
    }

    /** The tree's way: sites paired on ASM's tree, patched in place where they all allow it. */
    private static ClassRewriter.Result byTree(byte[] bytes, Decisions decisions) throws Exception {
        return ClassRewriter.rewrite(bytes, PoolDecision.NOT_POOLED, decisions, TYPES, true, false, counting(),
                List.of(EmitStrategies.PATCH_IN_PLACE, EmitStrategies.REPLACE_CHANGED_METHODS, EmitStrategies.WRITE_IN_FULL));
    }

    /** The bytes' way alone, or {@code null} where it leaves the class to the tree. */
    private static ClassRewriter.Result byBytes(byte[] bytes, Decisions decisions) {
        ClassReader reader = new ClassReader(bytes);
        Map<String, Integer> methods = MethodsWithSites.find(reader, decisions);
        return methods == null || methods.isEmpty() ? null
                : InPlaceSites.rewrite(bytes, reader, methods, decisions, counting());
    }

    private static void assertSame(String what, ClassRewriter.Result bytes, ClassRewriter.Result tree) {
        assertThat(tree.numberAt()).as(what + ": the tree patched it in place too").isNotNull();
        assertThat(bytes.bytes()).as(what).isEqualTo(tree.bytes());
        assertThat(bytes.sites()).as(what).isEqualTo(tree.sites());
        assertThat(bytes.numberAt()).as(what).isEqualTo(tree.numberAt());
        assertThat(bytes.skipped()).as(what).isEqualTo(tree.skipped()).isEmpty();
    }

    @Test
    void jdkClassesComeOutOfTheBytesExactlyAsOutOfTheTree() throws Exception {
        Decisions decisions = new PoolingDecisions(Set.of("java/lang/StringBuilder", "java/util/ArrayList",
                "java/lang/IllegalArgumentException", "java/util/HashMap")::contains, "()V");
        List<Path> files = new ArrayList<>();
        for (String pkg : new String[]{"java/util", "java/util/concurrent", "java/time/format", "java/io",
                "java/lang", "java/net"}) {
            try (Stream<Path> s = Files.list(FileSystems.getFileSystem(URI.create("jrt:/"))
                    .getPath("/modules/java.base", pkg))) {
                s.filter(p -> p.toString().endsWith(".class")).sorted().forEach(files::add);
            }
        }
        int treePatched = 0;
        int bytesPatched = 0;
        int sites = 0;
        for (Path p : files) {
            byte[] original = Files.readAllBytes(p);
            ClassRewriter.Result tree = byTree(original, decisions);
            ClassRewriter.Result bytes = byBytes(original, decisions);
            if (tree.numberAt() != null) {
                treePatched++;
            }
            if (bytes != null) {
                assertSame(p.toString(), bytes, tree);
                bytesPatched++;
                sites += bytes.numberAt().length;
            }
        }
        System.out.println("InPlaceSitesTest: " + bytesPatched + " of the " + treePatched + " JDK classes the tree "
                + "patches in place found in the bytes alone (" + sites + " sites)");
        assertThat(bytesPatched).as("JDK classes patched from the bytes").isGreaterThan(200);
        assertThat(bytesPatched).as("nearly every class the tree patches")
                .isGreaterThanOrEqualTo(treePatched * 95 / 100);
    }

    @Test
    void patchShapesComeOutOfTheBytesAsOutOfTheTree() throws Exception {
        byte[] shapes;
        try (InputStream in = InPlaceSitesTest.class.getResourceAsStream("PatchShapes.class")) {
            shapes = in.readAllBytes();
        }
        Decisions target = new PoolingDecisions("dev/shelf/agent/emit/PatchShapes$Target"::equals, "()V");
        ClassRewriter.Result bytes = byBytes(shapes, target);
        assertThat(bytes).as("constructors (this(...), a field), a static initialiser, sites nested in others' "
                + "arguments, in a loop, in a try block: all straight-line").isNotNull();
        assertSame("PatchShapes", bytes, byTree(shapes, target));
        assertThat(bytes.sites()).extracting(ClassRewriter.MethodSites::method)
                .contains("<clinit>()V", "<init>()V", "<init>(Ldev/shelf/agent/emit/PatchShapes$Target;)V",
                        "nested(I)Ljava/util/List;");
    }

    @Test
    void whatTheTreeMustDecideIsLeftToIt() throws Exception {
        byte[] shapes;
        byte[] tagged;
        try (InputStream in = InPlaceSitesTest.class.getResourceAsStream("PatchShapes.class");
             InputStream t = InPlaceSitesTest.class.getResourceAsStream("PatchShapes$TaggedSite.class")) {
            shapes = in.readAllBytes();
            tagged = t.readAllBytes();
        }
        String target = "dev/shelf/agent/emit/PatchShapes$Target";
        assertThat(byBytes(shapes, new PoolingDecisions(target::equals, "()V", true)))
                .as("a method-scoped class: the tree scopes or skips its sites").isNull();
        assertThat(byBytes(tagged, new PoolingDecisions(target::equals, "()V")))
                .as("a type-annotated NEW").isNull();
        // Loaded before any site could rely on it, say.
        Decisions refused = new PoolingDecisions(target::equals, "()V").withoutPromises();
        assertThat(byBytes(shapes, refused)).as("a site the tree skips with a warning").isNull();
        byte[] nested;
        try (InputStream in = InPlaceSitesTest.class.getResourceAsStream("PatchShapes.class")) {
            nested = in.readAllBytes();
        }
        ClassReader reader = new ClassReader(nested);
        Map<String, Integer> all = MethodsWithSites.find(reader, new PoolingDecisions(target::equals, "()V"));
        assertThat(all).as("nested() has a site in a loop and one in a try block").containsKey(
                "nested(I)Ljava/util/List;");
        assertThat(InPlaceSites.rewrite(nested, reader, Map.of("nested(I)Ljava/util/List;",
                all.get("nested(I)Ljava/util/List;")), new PoolingDecisions(target::equals, "()V"), counting()))
                .as("nested(): its sites are straight-line, its method has loops and handlers around them").isNotNull();
    }
}
