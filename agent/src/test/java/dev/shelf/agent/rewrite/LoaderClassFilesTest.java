package dev.shelf.agent.rewrite;

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
