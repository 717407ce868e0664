package dev.shelf.agent.classfile;

import net.bytebuddy.dynamic.ClassFileLocator;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * Class files as one class loader finds them, for deciding about a class before it is loaded (the decide stage's {@code PoolCatalog}).
 *
 * <p>Why not Byte Buddy's {@code ClassFileLocator.ForClassLoader}: this runs on the application's first class that
 * allocates a pooled class, at start-up, in the interpreter. A class file in a directory is read straight from its
 * file instead of through {@code getResourceAsStream}, whose URL connection brings ~10 classes of
 * {@code sun.net.www} into a JVM that otherwise never loads them; other URLs ({@code jar:}, {@code jrt:}, a custom
 * loader's own) are opened as usual, except that a plain jar's entries are read from the jar itself
 * ({@link #fromJar}). The loader is held weakly — the catalog keeps one locator per loader for as long
 * as the loader lives, and an undeployed application's loader must stay collectable.
 */
public final class LoaderClassFiles implements ClassFileLocator {

    private final WeakReference<ClassLoader> loader;
    /** Jars read so far, by path; no lambda (linked at start-up) and no lock on the common path. */
    private final Map<String, JarFile> jars = new ConcurrentHashMap<>();

    /**
     * @param loader the class loader whose class files to read
     */
    public LoaderClassFiles(ClassLoader loader) {
        this.loader = new WeakReference<>(loader);
    }

    @Override
    public Resolution locate(String name) throws IOException {
        ClassLoader l = loader.get();
        URL url = l == null ? null : l.getResource(name.replace('.', '/') + ".class");
        if (url == null) {
            return new Resolution.Illegal(name);
        }
        try (InputStream in = open(url)) {
            return new Resolution.Explicit(in.readAllBytes());
        }
    }

    private InputStream open(URL url) throws IOException {
        if ("file".equals(url.getProtocol())) {
            try {
                return new FileInputStream(new File(url.toURI()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                // A file URL that is not a URI (unescaped characters): the URL's own connection copes.
            }
        } else if ("jar".equals(url.getProtocol())) {
            InputStream in = fromJar(url.getPath());
            if (in != null) {
                return in;
            }
        }
        return url.openStream();
    }

    /**
     * {@code file:/path/lib.jar!/a/B.class}, read from the jar directly: through the URL's connection each class file
     * costs its own connection objects, ~0.3 ms apiece in the interpreter, and a real application decides about
     * dozens of classes in jars at start-up (the sample service: 64). The jar is opened once, for the runtime's
     * version like the class loader opens it (a multi-release jar answers with the entry the loader defines), and
     * closed when this locator is collected with its loader's view.
     *
     * @return the entry's stream, or {@code null} for anything else (nested jars, escaped names): the URL copes
     */
    private @Nullable InputStream fromJar(String spec) throws IOException {
        int bang = spec.indexOf("!/");
        if (!spec.startsWith("file:") || bang < 0 || spec.indexOf("!/", bang + 2) >= 0 || spec.indexOf('%') >= 0) {
            return null;
        }
        String path = spec.substring(0, bang);
        JarFile jar = jars.get(path);
        if (jar == null) {
            File file;
            try {
                file = new File(new java.net.URI(path));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return null;
            }
            JarFile opened = new JarFile(file, false, ZipFile.OPEN_READ, JarFile.runtimeVersion());
            jar = jars.putIfAbsent(path, opened);
            if (jar == null) {
                jar = opened;
            } else {
                opened.close();
            }
        }
        JarEntry entry = jar.getJarEntry(spec.substring(bang + 2));
        return entry == null ? null : jar.getInputStream(entry);
    }

    /** Returns how many jars are open for direct reading (for tests). */
    int openJars() {
        return jars.size();
    }

    @Override
    public void close() throws IOException {
        for (JarFile jar : jars.values()) {
            jar.close();
        }
        jars.clear();
    }
}
