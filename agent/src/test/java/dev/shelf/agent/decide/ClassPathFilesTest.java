package dev.shelf.agent.decide;

import dev.shelf.agent.Pipeline;
import dev.shelf.agent.classfile.ClassFileScanTest;
import dev.shelf.agent.classfile.ClassPathFiles;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ClassPathFiles} finds a class file where the JDK's application class loader would — the first entry of the
 * class path that has it, a multi-release jar's entry for this runtime — and answers nothing where the loader's own
 * rules decide: a package of a named module, the jars a manifest's {@code Class-Path} adds.
 */
class ClassPathFilesTest {

    private static final Module[] BOOT_MODULES = ModuleLayer.boot().modules().toArray(new Module[0]);

    @TempDir
    Path dir;

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private Path jar(String name, Manifest manifest, Map<String, String> entries) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = manifest == null ? new JarOutputStream(file) : new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Manifest manifest(String name, String value) {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue(name, value);
        return m;
    }

    private Path classes(String name, Map<String, String> files) throws IOException {
        Path root = dir.resolve(name);
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path f = root.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
        }
        return root;
    }

    private static String path(Path... entries) {
        StringBuilder sb = new StringBuilder();
        for (Path p : entries) {
            sb.append(sb.length() == 0 ? "" : File.pathSeparator).append(p);
        }
        return sb.toString();
    }

    @Test
    void theFirstEntryThatHasTheClassAnswersAsTheLoaderWould() throws IOException {
        Path classes = classes("classes", Map.of("x/A.class", "A from the directory"));
        Path lib = jar("lib.jar", null, Map.of("x/A.class", "A from the jar", "x/B.class", "B from the jar"));
        ClassPathFiles cp = new ClassPathFiles(path(dir.resolve("missing.jar"), classes, lib), BOOT_MODULES);
        assertThat(text(cp.find("x/A"))).isEqualTo("A from the directory");
        assertThat(text(cp.find("x/B"))).isEqualTo("B from the jar");
        assertThat(cp.find("x/C")).isNull();
        cp.close();
    }

    @Test
    void aMultiReleaseJarAnswersWithTheEntryForThisRuntime() throws IOException {
        Path lib = jar("mr.jar", manifest("Multi-Release", "true"),
                Map.of("x/M.class", "base", "META-INF/versions/9/x/M.class", "for 9 and later"));
        ClassPathFiles cp = new ClassPathFiles(path(lib), BOOT_MODULES);
        assertThat(text(cp.find("x/M"))).isEqualTo("for 9 and later");
        cp.close();
    }

    @Test
    void aJarWithAClassPathEndsTheSearchThereButNotBefore() throws IOException {
        Path first = jar("first.jar", null, Map.of("x/A.class", "A"));
        Path manifestOnly = jar("boot.jar", manifest("Class-Path", "other.jar"), Map.of());
        Path last = jar("last.jar", null, Map.of("x/B.class", "B"));
        ClassPathFiles cp = new ClassPathFiles(path(first, manifestOnly, last), BOOT_MODULES);
        assertThat(text(cp.find("x/A"))).as("found before the Class-Path jar").isEqualTo("A");
        assertThat(cp.find("x/B")).as("other.jar comes before last.jar in the loader's order").isNull();
        assertThat(cp.find("x/B")).as("and stays unanswered").isNull();
        cp.close();
    }

    @Test
    void aNamedModulesPackageIsNeverAnsweredFromTheClassPath() throws IOException {
        Path lib = jar("shadow.jar", null, Map.of("java/lang/Shadow.class", "never defined from here",
                "java/lang/nothere/X.class", "a package no module has"));
        ClassPathFiles cp = new ClassPathFiles(path(lib), BOOT_MODULES);
        assertThat(cp.find("java/lang/Shadow")).isNull();
        assertThat(text(cp.find("java/lang/nothere/X"))).isEqualTo("a package no module has");
        cp.close();
    }

    /**
     * The catalog takes only "not pooled" from the class path: a class whose file there does not mention
     * {@code @Pooled} is decided without asking the loader; one whose file does, or that is not there, is asked.
     */
    @Test
    void theCatalogTakesOnlyNotPooledFromTheClassPath() throws IOException {
        // Joined at run time: this test's own class file must not mention the marker (ClassFileScanTest reads it).
        Path classes = classes("app", Map.of("x/Plain.class", "no marker here",
                "x/Marked.class", String.join("", "... L", "dev/shelf/Pooled", "; ...")));
        java.util.List<String> asked = new java.util.ArrayList<>();
        net.bytebuddy.dynamic.ClassFileLocator loader = new net.bytebuddy.dynamic.ClassFileLocator() {
            @Override
            public Resolution locate(String name) {
                asked.add(name);
                return new Resolution.Illegal(name);
            }

            @Override
            public void close() {
            }
        };
        dev.shelf.agent.config.ShelfConfig config = dev.shelf.agent.config.ShelfConfig.DEFAULTS;
        LoaderDecisions view = Pipeline.of(config).catalog()
                .view(loader, new ClassPathFiles(path(classes), BOOT_MODULES));
        assertThat(view.decide("x/Plain")).isEqualTo(PoolDecision.NOT_POOLED);
        assertThat(asked).as("decided from the class path alone").isEmpty();
        assertThat(view.decide("x/Marked")).isEqualTo(PoolDecision.NOT_POOLED);
        assertThat(view.decide("x/Elsewhere")).isEqualTo(PoolDecision.NOT_POOLED);
        assertThat(asked).as("a mention of @Pooled, and a class not there, go to the loader")
                .containsExactly("x.Marked", "x.Elsewhere");
    }

    @Test
    void onlyTheJdksApplicationLoaderReadsItsClassPathThisWay() throws IOException {
        assertThat(ClassPathFiles.isApplicationLoader(ClassLoader.getSystemClassLoader())).isTrue();
        try (java.net.URLClassLoader other = new java.net.URLClassLoader(new java.net.URL[0])) {
            assertThat(ClassPathFiles.isApplicationLoader(other)).isFalse();
        }
        assertThat(ClassPathFiles.isApplicationLoader(ClassLoader.getPlatformClassLoader())).isFalse();
        assertThat(ClassPathFiles.isApplicationLoader(null)).isFalse();
    }
}
