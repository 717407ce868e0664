package dev.shelf.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shelf.Shelf;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.weave.Weaver;
import dev.shelf.agent.weave.WovenMarker;
import dev.shelf.internal.ShelfRegistry;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A woven class whose only Shelf use is {@code new @Pooled byte[n]}, in a JVM without the agent and without any
 * pooled class: its own static initialiser activates the runtime, and its arrays are reused. Runs in a JVM of its own
 * (the module's surefire does not reuse forks), so that nothing else has activated the runtime before.
 */
class WovenArraysRunTest {

    @Test
    void aClassWithOnlyAnArraySiteActivatesTheRuntimeAndReusesItsArrays() throws Exception {
        Path classes = Path.of(WovenArraysRunTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = Files.createTempDirectory("shelf-woven-arrays-");
        Path pkg = Files.createDirectories(dir.resolve("dev/shelf/weavefixture"));
        Files.copy(classes.resolve("dev/shelf/weavefixture/Buffers.class"), pkg.resolve("Buffers.class"));
        Properties props = new Properties();
        props.setProperty("shelf.include", "dev.shelf.weavefixture");
        List<String> lines = new ArrayList<>();
        Weaver.Result result = new Weaver(ShelfConfig.load(null, Map.of(), props), List.of(), lines::add).weave(dir);
        assertThat(result.woven()).as(String.join("\n", lines)).isEqualTo(1);
        assertThat(result.pooled()).isZero();
        assertThat(WovenMarker.isWoven(Files.readAllBytes(pkg.resolve("Buffers.class")))).isTrue();
        assertThat(pkg.resolve("$ShelfWoven.class")).as("the activation class").exists();

        assertThat(ShelfRegistry.isActive()).as("no agent in this JVM").isFalse();
        try (URLClassLoader app = new URLClassLoader(new URL[]{dir.toUri().toURL()},
                WovenArraysRunTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith("dev.shelf.weavefixture.")) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
        }) {
            Method take = app.loadClass("dev.shelf.weavefixture.Buffers").getMethod("take", int.class);
            byte[] first = (byte[]) take.invoke(null, 4096);
            assertThat(ShelfRegistry.isActive()).as("activated by the class with the array site").isTrue();
            first[17] = 42;
            Shelf.release(first);
            byte[] second = (byte[]) take.invoke(null, 4096);
            assertThat(second).as("the released array comes back on the same thread").isSameAs(first);
            assertThat(second).as("zeroed, as new would give it").containsOnly((byte) 0).hasSize(4096);
            assertThat((byte[]) take.invoke(null, 4096)).isNotSameAs(second);
            assertThat(Shelf.stats().pool("byte[4096]")).as("the pool by type and length").isPresent();
        }
    }
}
