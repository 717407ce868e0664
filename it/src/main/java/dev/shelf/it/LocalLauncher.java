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
 */
public record LocalLauncher(Jdk jdk, String classpath, Path agentJar, List<String> jvmArgs, Path logDir)
        implements Launcher {

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
        SampleApp.Launch launch = new SampleApp.Launch(app, name, classpath, withAgent ? agentJar : null, null,
                jdk.home(), jvmArgs, app.threads(), logDir, java.time.Duration.ofSeconds(30));
        return SampleApp.start(launch);
    }

    @Override
    public String where() {
        return "local process, " + jdk.label();
    }
}
