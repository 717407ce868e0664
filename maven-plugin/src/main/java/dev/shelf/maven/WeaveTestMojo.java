package dev.shelf.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.io.File;
import java.util.List;

/**
 * {@code shelf:weave-test}: {@link WeaveMojo} for {@code target/test-classes}, against the test class path (which
 * holds the main classes, woven already by {@code shelf:weave}, so that tests may allocate their pooled classes).
 */
@Mojo(name = "weave-test", defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES,
        requiresDependencyResolution = ResolutionScope.TEST, threadSafe = false)
public class WeaveTestMojo extends WeaveMojo {

    /** The test classes, woven in place. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}", required = true)
    private File testClassesDirectory;

    /** The test class path. */
    @Parameter(defaultValue = "${project.testClasspathElements}", readonly = true, required = true)
    private List<String> testClasspathElements;

    @Override
    public void execute() throws org.apache.maven.plugin.MojoExecutionException,
            org.apache.maven.plugin.MojoFailureException {
        classesDirectory = testClassesDirectory;
        classpathElements = testClasspathElements;
        super.execute();
    }
}
