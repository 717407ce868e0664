package dev.shelf.it.container;

import org.testcontainers.DockerClientFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether this machine can run the container tests, and if not, why not — in words a person can act on.
 *
 * <p>Containers need three things: Testcontainers configured never to pull (Ryuk off, host override, start-up
 * checks off: environment variables that Maven sets for the tests and the demo), a Linux host whose JDKs and shared
 * libraries can be copied into an image (the images are built here, from scratch, never pulled), and a Docker engine
 * that answers. The answer is computed once per JVM.
 */
public final class DockerEnvironment {

    /** The Testcontainers settings without which it would try to pull images, with the values this project uses. */
    public static final List<String> REQUIRED_ENV = List.of("TESTCONTAINERS_RYUK_DISABLED=true",
            "TESTCONTAINERS_HOST_OVERRIDE=localhost", "TESTCONTAINERS_CHECKS_DISABLE=true");

    private static Optional<String> reason;

    private DockerEnvironment() {
    }

    /**
     * Checks the machine.
     *
     * @return empty if containers can run here; otherwise why not
     */
    public static synchronized Optional<String> unavailableReason() {
        if (reason == null) {
            reason = Optional.ofNullable(check());
        }
        return reason;
    }

    private static String check() {
        for (String kv : REQUIRED_ENV) {
            String key = kv.substring(0, kv.indexOf('='));
            if (System.getenv(key) == null) {
                return "Testcontainers is not configured for this machine (" + key + " is not set; Maven sets "
                        + String.join(", ", REQUIRED_ENV) + " for the tests and the demo). Without them Testcontainers"
                        + " would try to pull images, which this project never does.";
            }
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return "container images are built from this machine's own JDKs and shared libraries (jlink + ldd), which"
                    + " needs a Linux host; this is " + System.getProperty("os.name");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/ldd")) && !Files.isExecutable(Path.of("/bin/ldd"))) {
            return "ldd is not installed: it is needed to find the shared libraries the image's JDK needs";
        }
        try {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return "no Docker engine answers (DOCKER_HOST unset and /var/run/docker.sock absent or not"
                        + " answering); .ci/run installs and starts one (dockerd --bridge=none --iptables=false)";
            }
        } catch (RuntimeException | Error e) {
            return "Docker is not usable: " + e;
        }
        return null;
    }
}
