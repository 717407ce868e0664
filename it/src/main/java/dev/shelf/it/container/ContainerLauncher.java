package dev.shelf.it.container;

import dev.shelf.it.App;
import dev.shelf.it.Jdk;
import dev.shelf.it.Launcher;
import dev.shelf.it.RunningApp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts sample apps in containers from one {@link RuntimeImage}.
 *
 * @param image       the image
 * @param jvmArgs     JVM flags besides {@code -javaagent}
 * @param memoryBytes each container's memory limit
 * @param logDir      where the containers' output goes
 */
public record ContainerLauncher(RuntimeImage image, List<String> jvmArgs, long memoryBytes, Path logDir)
        implements Launcher {

    /** The containers' memory limit unless told otherwise: 256 MiB, no swap. */
    public static final long DEFAULT_MEMORY = 256L * 1024 * 1024;

    @Override
    public RunningApp start(App app, boolean withAgent, String name) throws IOException {
        return ContainerApp.start(app, image, withAgent, jvmArgs, memoryBytes, logDir.resolve(name + ".log"));
    }

    @Override
    public String where() {
        return "container, " + image.jdk().label();
    }

    @Override
    public Jdk jdk() {
        return image.jdk();
    }

    @Override
    public long memoryLimitBytes() {
        return memoryBytes;
    }
}
