package dev.shelf.it.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.shelf.it.Jdk;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.testcontainers.DockerClientFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A container image with a jlink'ed Java runtime, the sample apps and the Shelf agent, built on this machine from
 * nothing: no base image, no registry, no Dockerfile.
 *
 * <p>How: {@code jlink} a runtime with just the modules the apps and the agent need; copy in the shared libraries
 * {@code ldd} reports for the runtime's executables and libraries (plus the NSS and resolver libraries, which
 * {@code ldd} does not show); add a minimal {@code /etc} and {@code /tmp}; add the app's jars and the agent jar;
 * tar it all as one layer, wrap it with an image configuration in {@code docker save} format and hand that to the
 * engine's {@code docker load}. Layout inside:
 * <pre>
 * /opt/java/             the runtime          /opt/app/lib/*.jar   sample-app and its dependencies
 * /opt/shelf/shelf-agent.jar                  /lib/..., /lib64/... the runtime's shared libraries
 * </pre>
 * The tag is a hash of everything that goes in (JDK version, module list, every jar's bytes), so a rebuilt agent or
 * app makes a new image and an unchanged one is reused without running jlink again. Each jar is read once and
 * checked entry by entry, so the bytes hashed are the bytes in the image, and a jar caught half-written by a build
 * never gets in.
 *
 * @param name the image reference, e.g. {@code shelf-sample:jdk17-0123456789ab}
 * @param jdk  the JDK the runtime was linked from
 */
public record RuntimeImage(String name, Jdk jdk) {

    /** Where things are inside the image. */
    public static final String JAVA = "/opt/java/bin/java";
    /** The class path of the apps inside the image (the java launcher expands the wildcard). */
    public static final String APP_CLASSPATH = "/opt/app/lib/*";
    /** The agent jar inside the image. */
    public static final String AGENT_JAR = "/opt/shelf/shelf-agent.jar";

    /** The image repository; tags say which JDK and which contents. */
    public static final String REPOSITORY = "shelf-sample";

    /**
     * The modules the runtime gets: the apps need java.base, java.management and jdk.management (allocation
     * counters), jdk.httpserver; the agent needs java.instrument and, for Byte Buddy, jdk.unsupported; java.logging
     * and java.naming for libraries that touch them.
     */
    public static final List<String> MODULES = List.of("java.base", "java.instrument", "java.logging",
            "java.management", "java.naming", "jdk.httpserver", "jdk.management", "jdk.unsupported");

    /** Bumped when the layout changes, so that old images are not reused. */
    private static final String LAYOUT = "layout-2";

    private static final Pattern LDD_PATH = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x");

    /**
     * Builds the image, or finds it if one with the same contents exists.
     *
     * @param jdk      the JDK to link the runtime from
     * @param appJars  the apps' class path entries (jars)
     * @param agentJar the Shelf agent jar
     * @param workDir  scratch space for the runtime and the root file system tar
     * @param log      progress messages
     * @return the image
     * @throws IOException if a step fails; the message says which
     */
    public static RuntimeImage build(Jdk jdk, List<Path> appJars, Path agentJar, Path workDir,
                                     java.io.PrintStream log) throws IOException {
        Map<String, Path> files = new LinkedHashMap<>();
        for (Path jar : appJars) {
            files.put("opt/app/lib/" + jar.getFileName(), jar);
        }
        files.put(AGENT_JAR.substring(1), agentJar);
        return build(REPOSITORY, jdk, MODULES, files, workDir, log);
    }

    /**
     * Builds an image with any runtime modules and files, or finds it if one with the same contents exists: for apps
     * that are not run from a class path (an executable jar, a second agent beside Shelf's).
     *
     * @param repository the image repository; its older images for the same JDK are removed once this one exists
     * @param jdk        the JDK to link the runtime from
     * @param modules    the runtime's modules
     * @param files      host files by their path in the image (relative, e.g. {@code opt/stacks/app.jar}); jars are
     *                   checked to be whole before they go in. A path ending in {@code /} is an empty directory (for
     *                   software that wants a directory to exist, e.g. a Jetty base's {@code environments/}); its
     *                   host path is only the one it mirrors, nothing is read from it
     * @param workDir    scratch space for the runtime and the root file system tar
     * @param log        progress messages
     * @return the image
     * @throws IOException if a step fails; the message says which
     */
    public static RuntimeImage build(String repository, Jdk jdk, List<String> modules, Map<String, Path> files,
                                     Path workDir, java.io.PrintStream log) throws IOException {
        DockerClient docker = DockerClientFactory.instance().client();
        Map<String, byte[]> jars = new LinkedHashMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            if (file.getKey().endsWith("/")) {
                jars.put(file.getKey(), new byte[0]);
                continue;
            }
            String name = file.getValue().getFileName().toString();
            jars.put(file.getKey(), name.endsWith(".jar") || name.endsWith(".war") ? readValidJar(file.getValue())
                    : Files.readAllBytes(file.getValue()));
        }
        String tag = "jdk" + jdk.feature() + "-" + contentHash(jdk, modules, jars);
        String name = repository + ":" + tag;
        if (exists(docker, name)) {
            log.println("[shelf-it] image " + name + " exists (same JDK, modules and files): reused");
            return new RuntimeImage(name, jdk);
        }
        long t0 = System.nanoTime();
        Files.createDirectories(workDir);
        Path runtime = workDir.resolve("jre-" + tag);
        deleteRecursively(runtime);
        jlink(jdk, modules, runtime);
        Path layer = workDir.resolve("rootfs-" + tag + ".tar");
        String diffId = writeRootFs(runtime, jars, layer);
        Path archive = workDir.resolve("image-" + tag + ".tar");
        writeImageArchive(name, layer, diffId, archive);
        // docker load rather than docker import: docker-java's import (createImageCmd) does not stream its body.
        try (InputStream in = Files.newInputStream(archive)) {
            docker.loadImageCmd(in).exec();
        }
        if (!exists(docker, name)) {
            throw new IOException("the Docker engine loaded " + archive + " but has no image " + name);
        }
        log.printf(java.util.Locale.ROOT, "[shelf-it] image %s built from %s in %.1f s (%d MB root file system)%n",
                name, jdk.label(), (System.nanoTime() - t0) / 1e9, Files.size(layer) / 1_000_000);
        Files.delete(archive);
        Files.delete(layer);
        deleteRecursively(runtime);
        removeOlder(docker, repository, jdk, name, log);
        return new RuntimeImage(name, jdk);
    }

    /** Removes this repository's images for the same JDK feature release but other contents: superseded builds. */
    private static void removeOlder(DockerClient docker, String repository, Jdk jdk, String keep,
                                    java.io.PrintStream log) {
        String prefix = repository + ":jdk" + jdk.feature() + "-";
        try {
            for (com.github.dockerjava.api.model.Image image : docker.listImagesCmd().withImageNameFilter(repository)
                    .exec()) {
                for (String tag : image.getRepoTags() == null ? new String[0] : image.getRepoTags()) {
                    if (tag.startsWith(prefix) && !tag.equals(keep)) {
                        docker.removeImageCmd(tag).exec();
                        log.println("[shelf-it] removed superseded image " + tag);
                    }
                }
            }
        } catch (RuntimeException e) {
            log.println("[shelf-it] could not remove superseded images: " + e); // in use, or already gone
        }
    }

    private static boolean exists(DockerClient docker, String name) {
        try {
            docker.inspectImageCmd(name).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String contentHash(Jdk jdk, List<String> modules, Map<String, byte[]> jars) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((LAYOUT + "|" + jdk.version() + "|" + jdk.home() + "|" + modules).getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, byte[]> jar : jars.entrySet()) {
                md.update(jar.getKey().getBytes(StandardCharsets.UTF_8));
                md.update(jar.getValue());
            }
            return HexFormat.of().formatHex(md.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a jar once, checking that every entry (nested jars included, as bytes) inflates: a jar that a
     * concurrent build is rewriting must not end up in an image. The same bytes are then hashed for the tag and put
     * into the image. Retries for a few seconds before giving up.
     */
    private static byte[] readValidJar(Path jar) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            byte[] bytes = Files.readAllBytes(jar);
            try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(
                    new java.io.ByteArrayInputStream(bytes))) {
                int entries = 0;
                while (zip.getNextEntry() != null) {
                    zip.transferTo(OutputStream.nullOutputStream());
                    entries++;
                }
                if (entries > 0) {
                    return bytes;
                }
                last = new IOException(jar + " has no entries");
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + jar, e);
            }
        }
        throw new IOException(jar + " is not a readable jar (still being written by a build?): " + last, last);
    }

    private static void jlink(Jdk jdk, List<String> modules, Path output) throws IOException {
        Path jlink = jdk.home().resolve("bin").resolve("jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IOException(jdk.label() + " at " + jdk.home() + " has no jlink (a JRE, not a JDK?)");
        }
        List<String> cmd = List.of(jlink.toString(), "--add-modules", String.join(",", modules), "--output",
                output.toString(), "--strip-debug", "--no-header-files", "--no-man-pages",
                jdk.feature() >= 21 ? "--compress=zip-6" : "--compress=2");
        String out = exec(cmd, 180);
        if (!Files.isExecutable(output.resolve("bin").resolve("java"))) {
            throw new IOException("jlink made no runtime at " + output + ":\n" + out);
        }
    }

    /** The shared libraries the runtime needs, by the absolute path the dynamic linker uses, in a stable order. */
    private static Set<String> sharedLibraries(Path runtime) throws IOException {
        List<Path> binaries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(runtime)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".so")
                            || p.getParent().getFileName().toString().equals("bin"))
                    .forEach(binaries::add);
        }
        Set<String> inRuntime = new TreeSet<>();
        binaries.forEach(p -> inRuntime.add(p.getFileName().toString()));
        Set<String> libs = new TreeSet<>();
        for (Path binary : binaries) {
            String out = exec(List.of("ldd", binary.toString()), 30);
            for (String line : out.split("\n")) {
                if (line.contains("not found")) {
                    // The runtime's own libraries (libjvm.so, libjava.so) are found by the JVM, not by ldd's search.
                    String lib = line.trim().split("\\s+")[0];
                    if (!inRuntime.contains(lib)) {
                        throw new IOException("ldd " + binary + ": " + line.trim());
                    }
                    continue;
                }
                Matcher m = LDD_PATH.matcher(line);
                if (m.find() && !m.group(1).startsWith(runtime.toString())) {
                    libs.add(m.group(1));
                }
            }
        }
        // Name-service and resolver libraries are loaded at run time (dlopen), so ldd cannot see them.
        String libc = libs.stream().filter(l -> l.endsWith("/libc.so.6")).findFirst()
                .orElseThrow(() -> new IOException("ldd found no libc.so.6 for " + runtime));
        Path libDir = Path.of(libc).getParent();
        for (String extra : List.of("libnss_files.so.2", "libnss_dns.so.2", "libresolv.so.2")) {
            if (Files.exists(libDir.resolve(extra))) {
                libs.add(libDir.resolve(extra).toString());
            }
        }
        return libs;
    }

    /**
     * Writes an image archive in {@code docker save} format: the layer, an image configuration naming its digest,
     * and a manifest that tags it. The configuration labels the image and sets no command: the tests give one.
     */
    private static void writeImageArchive(String name, Path layer, String diffId, Path archive) throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
        String created = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String config = "{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"created\":\"" + created + "\","
                + "\"config\":{\"Env\":[\"PATH=/opt/java/bin\"],\"Labels\":{\"dev.shelf.sample\":\"true\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + diffId + "\"]},"
                + "\"history\":[{\"created\":\"" + created + "\",\"created_by\":\"dev.shelf.it.container.RuntimeImage:"
                + " jlink, shared libraries, sample apps, Shelf agent\"}]}";
        String manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"" + name + "\"],\"Layers\":[\"layer.tar\"]}]";
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(archive), 1 << 16);
             TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
            Set<String> none = new TreeSet<>();
            bytes(out, none, "config.json", config.getBytes(StandardCharsets.UTF_8), 0644);
            bytes(out, none, "manifest.json", manifest.getBytes(StandardCharsets.UTF_8), 0644);
            file(out, none, "layer.tar", layer, 0644);
            out.finish();
        }
    }

    /** Writes the root file system as a tar and returns its SHA-256 in hex: the layer's diff id. */
    private static String writeRootFs(Path runtime, Map<String, byte[]> jars, Path tar) throws IOException {
        Set<String> libs = sharedLibraries(runtime);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (OutputStream file = new java.security.DigestOutputStream(
                new BufferedOutputStream(Files.newOutputStream(tar), 1 << 16), sha);
             TarArchiveOutputStream out = new TarArchiveOutputStream(file)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            Set<String> dirs = new TreeSet<>();
            Map<String, String> etc = new LinkedHashMap<>();
            etc.put("etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:"
                    + "/sbin/nologin\n");
            etc.put("etc/group", "root:x:0:\nnogroup:x:65534:\n");
            etc.put("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
            etc.put("etc/hosts", "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n");
            for (Map.Entry<String, String> e : etc.entrySet()) {
                bytes(out, dirs, e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8), 0644);
            }
            dir(out, dirs, "tmp", 01777);
            dir(out, dirs, "root", 0700);
            for (String lib : libs) {
                file(out, dirs, lib.substring(1), Path.of(lib).toRealPath(), 0755);
            }
            try (Stream<Path> files = Files.walk(runtime)) {
                for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                    String rel = runtime.relativize(p).toString();
                    String name = rel.isEmpty() ? "opt/java" : "opt/java/" + rel;
                    if (Files.isSymbolicLink(p)) {
                        parents(out, dirs, name);
                        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                        e.setLinkName(Files.readSymbolicLink(p).toString());
                        out.putArchiveEntry(e);
                        out.closeArchiveEntry();
                    } else if (Files.isDirectory(p)) {
                        dir(out, dirs, name, 0755);
                    } else {
                        file(out, dirs, name, p, mode(p));
                    }
                }
            }
            for (Map.Entry<String, byte[]> jar : jars.entrySet()) {
                if (jar.getKey().endsWith("/")) {
                    dir(out, dirs, jar.getKey().substring(0, jar.getKey().length() - 1), 0755);
                } else {
                    bytes(out, dirs, jar.getKey(), jar.getValue(), 0644);
                }
            }
            out.finish();
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static int mode(Path p) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            return perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644;
        } catch (UnsupportedOperationException e) {
            return 0644;
        }
    }

    private static void parents(TarArchiveOutputStream out, Set<String> dirs, String name) throws IOException {
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            dir(out, dirs, name.substring(0, slash), 0755);
        }
    }

    private static void dir(TarArchiveOutputStream out, Set<String> dirs, String name, int mode) throws IOException {
        if (dirs.contains(name)) {
            return;
        }
        parents(out, dirs, name);
        TarArchiveEntry e = new TarArchiveEntry(name + "/");
        e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
        out.putArchiveEntry(e);
        out.closeArchiveEntry();
        dirs.add(name);
    }

    private static void file(TarArchiveOutputStream out, Set<String> dirs, String name, Path source, int mode)
            throws IOException {
        parents(out, dirs, name);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(Files.size(source));
        e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
        out.putArchiveEntry(e);
        Files.copy(source, out);
        out.closeArchiveEntry();
    }

    private static void bytes(TarArchiveOutputStream out, Set<String> dirs, String name, byte[] content, int mode)
            throws IOException {
        parents(out, dirs, name);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
        out.putArchiveEntry(e);
        out.write(content);
        out.closeArchiveEntry();
    }

    private static String exec(List<String> cmd, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish in " + timeoutSeconds + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed with status " + p.exitValue() + ":\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
