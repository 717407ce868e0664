package dev.shelf.agent.weave;

import dev.shelf.agent.config.ShelfConfig;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test fixtures woven at build time: one package of the test classes copied to a directory and woven there. */
public final class WovenClasses {

    /**
     * What a weave of one package left.
     *
     * @param dir    the directory woven in place
     * @param result what the weaver said
     * @param lines  everything it printed
     */
    public record Woven(Path dir, Weaver.Result result, List<String> lines) {

        /** Returns every class file of the directory, by binary name. */
        public Map<String, byte[]> classes() {
            Map<String, byte[]> out = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    String rel = dir.relativize(p).toString().replace(File.separatorChar, '/');
                    if (rel.endsWith(".class")) {
                        out.put(rel.substring(0, rel.length() - 6).replace('/', '.'), Files.readAllBytes(p));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out;
        }
    }

    private WovenClasses() {
    }

    /**
     * Copies the test class files of a package (not its sub-packages) to a new directory and weaves them there.
     *
     * @param packageName e.g. {@code dev.shelf.corpus}
     * @param config      the weaver's configuration
     * @return the woven directory and what the weaver said
     */
    public static Woven weave(String packageName, ShelfConfig config) throws IOException {
        Path testClasses = testClasses();
        String pkg = packageName.replace('.', '/');
        Path dir = Files.createTempDirectory("shelf-woven-");
        Files.createDirectories(dir.resolve(pkg));
        try (Stream<Path> list = Files.list(testClasses.resolve(pkg))) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (p.toString().endsWith(".class")) {
                    Files.copy(p, dir.resolve(pkg).resolve(p.getFileName().toString()));
                }
            }
        }
        List<Path> classPath = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (!p.toAbsolutePath().normalize().equals(testClasses.toAbsolutePath().normalize())) {
                classPath.add(p); // the package's originals must not be found beside the copies
            }
        }
        List<String> lines = new ArrayList<>();
        Weaver.Result result = new Weaver(config, classPath, lines::add).weave(dir);
        return new Woven(dir, result, lines);
    }

    /** Returns the directory of the test classes. */
    public static Path testClasses() {
        try {
            return Path.of(WovenClasses.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
