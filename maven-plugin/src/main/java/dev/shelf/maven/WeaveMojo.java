package dev.shelf.maven;

import dev.shelf.agent.config.ConfigException;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.weave.Weaver;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code shelf:weave}: rewrites {@code target/classes} in place the way the agent rewrites classes as they load, so
 * that the application runs pooled with only {@code pool-runtime} on its class path (docs/weaving.md).
 *
 * <p>Configuration takes the agent's keys where they apply to a build ({@code include}, {@code exclude},
 * {@code mode}, {@code explain}) as parameters, and any key from the agent's properties file ({@code configFile}),
 * validated by the agent's own {@link ShelfConfig}: parameters win over the file. The pool settings from the file
 * ({@code shelf.pool.*}, {@code shelf.eviction}, {@code shelf.jmx}, {@code shelf.report*}) are recorded into the woven
 * classes, which activate the runtime with them.
 */
@Mojo(name = "weave", defaultPhase = LifecyclePhase.PROCESS_CLASSES,
        requiresDependencyResolution = ResolutionScope.COMPILE, threadSafe = false)
public class WeaveMojo extends AbstractMojo {

    /** The directory woven in place. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    protected File classesDirectory;

    /** The class path the directory compiles against: decisions about dependency classes are read from it. */
    @Parameter(defaultValue = "${project.compileClasspathElements}", readonly = true, required = true)
    protected List<String> classpathElements;

    /** {@code shelf.include}: comma-separated package prefixes whose classes are rewritten; empty means all. */
    @Parameter(property = "shelf.include")
    protected String include;

    /** {@code shelf.exclude}: comma-separated package prefixes never rewritten. */
    @Parameter(property = "shelf.exclude")
    protected String exclude;

    /** {@code shelf.mode}: {@code normal} or {@code strict}. */
    @Parameter(property = "shelf.mode")
    protected String mode;

    /** {@code shelf.explain}: print every decision and rewritten site into the build log. */
    @Parameter(property = "shelf.explain")
    protected String explain;

    /** The agent's properties file ({@code shelf.config}); every key in it is validated as the agent does. */
    @Parameter(property = "shelf.config")
    protected File configFile;

    /** Fail the build on any warning: a class that cannot be pooled, a site left alone, a class the weaver failed on. */
    @Parameter(property = "shelf.weave.failOnWarning", defaultValue = "false")
    protected boolean failOnWarning;

    /** Skip weaving. */
    @Parameter(property = "shelf.weave.skip", defaultValue = "false")
    protected boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("shelf: weaving skipped");
            return;
        }
        ShelfConfig config = config();
        List<Path> classPath = new ArrayList<>();
        for (String e : classpathElements) {
            classPath.add(Path.of(e));
        }
        Weaver.Result result;
        try {
            result = new Weaver(config, classPath, line -> {
                if (line.startsWith("[shelf] WARN ")) {
                    getLog().warn(line);
                } else {
                    getLog().info(line);
                }
            }).weave(classesDirectory.toPath());
        } catch (IOException e) {
            throw new MojoExecutionException("shelf: could not weave " + classesDirectory + ": " + e, e);
        }
        getLog().info("shelf: " + result.summary() + " in " + classesDirectory);
        if (!result.failed().isEmpty()) {
            getLog().warn("shelf: left as javac wrote them (not pooled): " + String.join(", ", result.failed()));
        }
        if (failOnWarning && (!result.warnings().isEmpty() || !result.failed().isEmpty())) {
            throw new MojoFailureException("shelf: " + result.warnings().size() + " warning(s) while weaving "
                    + classesDirectory + " and failOnWarning is set (see the [shelf] WARN lines above)");
        }
    }

    /** The agent's configuration, from the file and the parameters, validated by the agent's own code. */
    ShelfConfig config() throws MojoExecutionException {
        Properties props = new Properties();
        if (configFile != null) {
            props.setProperty("shelf.config", configFile.getPath());
        }
        put(props, "shelf.include", include);
        put(props, "shelf.exclude", exclude);
        put(props, "shelf.mode", mode);
        put(props, "shelf.explain", explain);
        try {
            return ShelfConfig.load(null, Map.of(), props);
        } catch (ConfigException e) {
            throw new MojoExecutionException("shelf: " + e.getMessage());
        }
    }

    private static void put(Properties props, String key, String value) {
        if (value != null) {
            props.setProperty(key, value);
        }
    }
}
