package dev.shelf.maven;

import dev.shelf.Shelf;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.weave.Weaver;
import dev.shelf.agent.weave.WovenMarker;
import dev.shelf.internal.ShelfRegistry;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A woven class in a JVM without the agent, as a woven application runs: this module's tests run in their own JVM,
 * where nothing but the woven classes activates the runtime.
 */
class WovenRunTest {

    @Test
    void wovenClassesActivateTheRuntimeAndReuseWithoutTheAgent() throws Exception {
        Path dir = copyFixtures();
        Properties props = new Properties();
        props.setProperty("shelf.include", "dev.shelf.weavefixture");
        props.setProperty("shelf.pool.maxPerThread", "8");
        ShelfConfig config = ShelfConfig.load(null, Map.of(), props);
        List<String> lines = new ArrayList<>();
        Weaver.Result result = new Weaver(config, classPath(), lines::add).weave(dir);
        assertThat(result.woven()).as(String.join("\n", lines)).isEqualTo(2);
        assertThat(result.pooled()).isEqualTo(1);
        assertThat(WovenMarker.isWoven(Files.readAllBytes(dir.resolve("dev/shelf/weavefixture/Make.class")))).isTrue();

        assertThat(ShelfRegistry.isActive()).as("no agent in this JVM").isFalse();
        try (URLClassLoader app = new ChildFirst(dir)) {
            Class<?> make = app.loadClass("dev.shelf.weavefixture.Make");
            Object first = make.getMethod("point", int.class, int.class).invoke(null, 1, 2);
            assertThat(ShelfRegistry.isActive()).as("activated by the woven pooled class").isTrue();
            assertThat(Shelf.stats().pools()).anySatisfy(p -> assertThat(p.toString()).contains("Point"));
            Shelf.release(first);
            Object second = make.getMethod("point", int.class, int.class).invoke(null, 3, 4);
            assertThat(second).as("the released object comes back on the same thread").isSameAs(first);
            Object fresh = make.getMethod("point", int.class, int.class).invoke(null, 3, 4);
            assertThat(fresh).isNotSameAs(second);
            for (Field f : first.getClass().getDeclaredFields()) {
                f.setAccessible(true);
                assertThat(f.get(second)).as(f.getName()).isEqualTo(f.get(fresh));
            }
        }
    }

    private static Path copyFixtures() throws Exception {
        Path classes = Path.of(WovenRunTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = Files.createTempDirectory("shelf-woven-run-");
        Path pkg = Files.createDirectories(dir.resolve("dev/shelf/weavefixture"));
        for (String name : List.of("Point", "Make")) {
            Files.copy(classes.resolve("dev/shelf/weavefixture/" + name + ".class"), pkg.resolve(name + ".class"));
        }
        return dir;
    }

    private static List<Path> classPath() {
        List<Path> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            out.add(Path.of(e));
        }
        return out;
    }

    /** Loads the woven fixtures itself, everything else (the runtime) from the test's class path. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(Path dir) throws Exception {
            super(new URL[]{dir.toUri().toURL()}, WovenRunTest.class.getClassLoader());
        }

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
    }
}
