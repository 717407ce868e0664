package dev.shelf.agent.classfile;

import net.bytebuddy.dynamic.ClassFileLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Class files as a loader finds them: from directories, jars and the JDK, never keeping the loader alive. */
class LoaderClassFilesTest {

    @Test
    void readsWhatTheLoaderWouldFindInDirectoriesJarsAndTheJdk() throws Exception {
        ClassFileLocator files = new LoaderClassFiles(getClass().getClassLoader());
        for (Class<?> c : new Class<?>[] {dev.shelf.corpus.Primitives.class, ClassFileLocator.class, String.class}) {
            ClassFileLocator.Resolution r = files.locate(c.getName());
            assertThat(r.isResolved()).as(c.getName()).isTrue();
            try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
                assertThat(r.resolve()).as(c.getName()).isEqualTo(in.readAllBytes());
            }
        }
        assertThat(files.locate("no.such.Type").isResolved()).isFalse();
    }

    @Test
    void aDirectoryWithCharactersToEscapeIsReadToo(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("with space%and#hash");
        Path file = root.resolve("x/Y.class");
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2});
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            assertThat(new LoaderClassFiles(loader).locate("x.Y").resolve())
                    .isEqualTo(new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2});
        }
    }

    /**
     * A jar's entries are read from the jar itself, not through the URL's connection: the same bytes the loader
     * serves, for a plain jar and for a multi-release jar (whose entry for this JDK wins, as in the loader), and a
     * jar whose path needs escaping still works (through the URL).
     */
    @Test
    void readsWhatTheLoaderServesFromPlainAndMultiReleaseJars(@TempDir Path dir) throws Exception {
        byte[] base = {(byte) 0xCA, (byte) 0xFE, 0, 1};
        byte[] versioned = {(byte) 0xCA, (byte) 0xFE, 0, 17};
        Path plain = jar(dir.resolve("plain.jar"), false, base, versioned);
        Path multi = jar(dir.resolve("multi.jar"), true, base, versioned);
        Path escaped = jar(dir.resolve("with space.jar"), false, base, versioned);
        for (Path jar : new Path[] {plain, multi, escaped}) {
            try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
                LoaderClassFiles files = new LoaderClassFiles(loader);
                byte[] served;
                try (InputStream in = loader.getResourceAsStream("x/Y.class")) {
                    served = in.readAllBytes();
                }
                assertThat(files.locate("x.Y").resolve()).as(jar.getFileName().toString()).isEqualTo(served)
                        .isEqualTo(jar == multi ? versioned : base);
                assertThat(files.locate("x.Y").resolve()).as("again, from the jar already open").isEqualTo(served);
                assertThat(files.locate("x.Missing").isResolved()).isFalse();
                assertThat(files.openJars()).as("read from the jar itself, not through the URL")
                        .isEqualTo(jar == escaped ? 0 : 1);
                files.close();
                assertThat(files.openJars()).isZero();
            }
        }
    }

    private static Path jar(Path file, boolean multiRelease, byte[] base, byte[] versioned) throws Exception {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        if (multiRelease) {
            manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MULTI_RELEASE, "true");
        }
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(file),
                manifest)) {
            out.putNextEntry(new java.util.jar.JarEntry("x/Y.class"));
            out.write(base);
            out.putNextEntry(new java.util.jar.JarEntry("META-INF/versions/17/x/Y.class"));
            out.write(versioned);
        }
        return file;
    }

    @Test
    void doesNotKeepTheLoaderAlive(@TempDir Path dir) throws Exception {
        URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
        WeakReference<ClassLoader> probe = new WeakReference<>(loader);
        ClassFileLocator files = new LoaderClassFiles(loader);
        loader.close();
        loader = null;
        for (int i = 0; i < 50 && probe.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(probe.get()).as("collected while the locator lives").isNull();
        assertThat(files.locate("java.lang.String").isResolved()).as("a collected loader finds nothing").isFalse();
    }
}
