package dev.shelf.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts sample apps as local processes ({@link SampleApp}): the fallback when there is no Docker, and the fastest
 * way to try a change.
 *
 * @param jdk       the JDK to run the apps on
 * @param classpath the apps' class path (sample-app and its dependencies)
 * @param agentJar  the Shelf agent jar
 * @param jvmArgs   JVM flags besides {@code -javaagent}
 * @param logDir    where the apps' output goes
 * @param exitReportDir where runs with the agent write Shelf's exit report ({@code report=exit}, JSON in
 *                      {@code <name>.exit-report.json}, the table to the app's stderr log); {@code null} for none
 */
public record LocalLauncher(Jdk jdk, String classpath, Path agentJar, List<String> jvmArgs, Path logDir,
                            Path exitReportDir) implements Launcher {

    /**
     * A launcher without exit reports.
     *
     * @param jdk       the JDK to run the apps on
     * @param classpath the apps' class path
     * @param agentJar  the Shelf agent jar
     * @param jvmArgs   JVM flags besides {@code -javaagent}
     * @param logDir    where the apps' output goes
     */
    public LocalLauncher(Jdk jdk, String classpath, Path agentJar, List<String> jvmArgs, Path logDir) {
        this(jdk, classpath, agentJar, jvmArgs, logDir, null);
    }

    /**
     * The same launcher, with Shelf's exit report on in every run with the agent.
     *
     * @param dir where the JSON reports go (created if needed)
     * @return a copy
     */
    public LocalLauncher withExitReports(Path dir) {
        return new LocalLauncher(jdk, classpath, agentJar, jvmArgs, logDir, dir.toAbsolutePath());
    }

    /**
     * Where a run's exit report goes.
     *
     * @param name the run's name, as passed to {@link #start}
     * @return the JSON file, or {@code null} without exit reports
     */
    public Path exitReportFile(String name) {
        return exitReportDir == null ? null : exitReportDir.resolve(name + ".exit-report.json");
    }

    /**
     * A launcher configured from the system properties {@link SampleApp} documents.
     *
     * @return the launcher
     * @throws IllegalStateException if the agent jar or the class path is missing
     */
    public static LocalLauncher fromSystemProperties() {
        Path home = SampleApp.javaHomeFromSystemProperties();
        Jdk jdk = Jdk.at(home).orElseThrow(() -> new IllegalStateException("no JDK at " + home));
        return new LocalLauncher(jdk, SampleApp.appClasspath(), SampleApp.agentJar(),
                SampleApp.jvmArgsFromSystemProperties(), SampleApp.logDirFromSystemProperties());
    }

    @Override
    public RunningApp start(App app, boolean withAgent, String name) throws IOException {
        String options = null;
        if (withAgent && exitReportDir != null) {
            java.nio.file.Files.createDirectories(exitReportDir);
            options = "report=exit,report.file=" + exitReportFile(name);
        }
        SampleApp.Launch launch = new SampleApp.Launch(app, name, classpath, withAgent ? agentJar : null, options,
                jdk.home(), jvmArgs, app.threads(), logDir, java.time.Duration.ofSeconds(30));
        return SampleApp.start(launch);
    }

    @Override
    public String where() {
        return "local process, " + jdk.label();
    }
}
