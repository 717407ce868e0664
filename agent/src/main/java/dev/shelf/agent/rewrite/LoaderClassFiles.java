package dev.shelf.agent.rewrite;

import net.bytebuddy.dynamic.ClassFileLocator;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.URISyntaxException;
import java.net.URL;

/**
 * Class files as one class loader finds them, for deciding about a class before it is loaded ({@link PoolCatalog}).
 *
 * <p>Why not Byte Buddy's {@code ClassFileLocator.ForClassLoader}: this runs on the application's first class that
 * allocates a pooled class, at start-up, in the interpreter. A class file in a directory is read straight from its
 * file instead of through {@code getResourceAsStream}, whose URL connection brings ~10 classes of
 * {@code sun.net.www} into a JVM that otherwise never loads them; other URLs ({@code jar:}, {@code jrt:}, a custom
 * loader's own) are opened as usual. The loader is held weakly — the catalog keeps one locator per loader for as long
 * as the loader lives, and an undeployed application's loader must stay collectable.
 */
final class LoaderClassFiles implements ClassFileLocator {

    private final WeakReference<ClassLoader> loader;

    /**
     * @param loader the class loader whose class files to read
     */
    LoaderClassFiles(ClassLoader loader) {
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

    private static InputStream open(URL url) throws IOException {
        if ("file".equals(url.getProtocol())) {
            try {
                return new FileInputStream(new File(url.toURI()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                // A file URL that is not a URI (unescaped characters): the URL's own connection copes.
            }
        }
        return url.openStream();
    }

    @Override
    public void close() {
        // nothing held but a weak reference
    }
}
