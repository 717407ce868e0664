package dev.shelf.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shelf.agent.weave.WovenMarker;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;

/** The goal as Maven runs it, on a directory of fixture classes: the summary, warnings, and {@code failOnWarning}. */
class WeaveMojoTest {

    private static Path fixtures(String... names) throws Exception {
        Path classes = Path.of(WeaveMojoTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = Files.createTempDirectory("shelf-weave-mojo-");
        Path pkg = Files.createDirectories(dir.resolve("dev/shelf/weavefixture"));
        for (String name : names) {
            Files.copy(classes.resolve("dev/shelf/weavefixture/" + name + ".class"), pkg.resolve(name + ".class"));
        }
        return dir;
    }

    /** A mojo over {@code dir}, logging into {@code lines}. */
    private static WeaveMojo mojo(Path dir, List<String> lines) {
        WeaveMojo m = new WeaveMojo();
        m.classesDirectory = dir.toFile();
        m.classpathElements = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
        m.include = "dev.shelf.weavefixture";
        m.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                lines.add("INFO " + content);
            }

            @Override
            public void warn(CharSequence content) {
                lines.add("WARN " + content);
            }
        });
        return m;
    }

    @Test
    void aRefusedPooledClassIsAWarningAndWithFailOnWarningAFailure() throws Exception {
        Path dir = fixtures("Refused", "Point", "Make");
        List<String> lines = new ArrayList<>();
        mojo(dir, lines).execute();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("WARN").contains("Refused"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("INFO shelf: wove").contains(dir.toString()));
        assertThat(WovenMarker.isWoven(Files.readAllBytes(dir.resolve("dev/shelf/weavefixture/Point.class"))))
                .as("the poolable class is woven all the same").isTrue();

        Path again = fixtures("Refused", "Point", "Make");
        WeaveMojo strict = mojo(again, new ArrayList<>());
        strict.failOnWarning = true;
        assertThatThrownBy(strict::execute).isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("failOnWarning");
    }

    @Test
    void aBadConfigurationValueFailsTheBuildWithTheAgentsMessage() throws Exception {
        WeaveMojo m = mojo(fixtures("Point"), new ArrayList<>());
        m.mode = "lenient";
        assertThatThrownBy(m::execute).isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("shelf.mode").hasMessageContaining("lenient");
    }

    @Test
    void skipLeavesTheClassesAsJavacWroteThem() throws Exception {
        Path dir = fixtures("Point", "Make");
        byte[] before = Files.readAllBytes(dir.resolve("dev/shelf/weavefixture/Point.class"));
        WeaveMojo m = mojo(dir, new ArrayList<>());
        m.skip = true;
        m.execute();
        assertThat(Files.readAllBytes(dir.resolve("dev/shelf/weavefixture/Point.class"))).isEqualTo(before);
    }
}
