package dev.shelf.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDK installation, identified by its {@code release} file.
 *
 * @param home    the installation directory
 * @param version the full version, e.g. {@code 17.0.15}
 * @param feature the feature release, e.g. 17
 */
public record Jdk(Path home, String version, int feature) {

    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"");

    /**
     * Reads the JDK at {@code home}.
     *
     * @param home an installation directory
     * @return the JDK, or empty if there is none there (no {@code bin/java} or no readable {@code release} file)
     */
    public static Optional<Jdk> at(Path home) {
        try {
            if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
                return Optional.empty();
            }
            Matcher m = JAVA_VERSION.matcher(Files.readString(home.resolve("release")));
            if (!m.find()) {
                return Optional.empty();
            }
            String version = m.group(1);
            String first = version.split("[.+-]")[0];
            int feature = Integer.parseInt(first.equals("1") ? version.split("\\.")[1] : first);
            return Optional.of(new Jdk(home.toAbsolutePath().normalize(), version, feature));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The JDK homes the integration tests run apps on: {@code shelf.it.jdkHomes}, comma-separated (Maven passes the
     * JDK running the build and {@code shelf.jdk25.home}), or the JDK running this code. Each home is resolved to its
     * real path, so that the build's JDK named twice counts once; a home that does not exist is kept as given, for
     * the test to skip with the reason.
     *
     * @return the homes, in order, without duplicates
     */
    public static java.util.List<Path> homesFromSystemProperty() {
        java.util.Set<Path> homes = new java.util.LinkedHashSet<>();
        for (String home : System.getProperty("shelf.it.jdkHomes", System.getProperty("java.home")).split(",")) {
            if (!home.isBlank()) {
                Path p = Path.of(home.trim());
                try {
                    homes.add(p.toRealPath());
                } catch (IOException e) {
                    homes.add(p);
                }
            }
        }
        return java.util.List.copyOf(homes);
    }

    /** @return the JDK running this code */
    public static Jdk current() {
        Path home = Path.of(System.getProperty("java.home"));
        return at(home).orElseGet(() -> new Jdk(home, Runtime.version().toString(), Runtime.version().feature()));
    }

    /** @return e.g. {@code JDK 17.0.15} */
    public String label() {
        return "JDK " + version;
    }
}
