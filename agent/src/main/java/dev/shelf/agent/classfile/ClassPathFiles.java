package dev.shelf.agent.classfile;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipFile;
import org.jspecify.annotations.Nullable;

/**
 * The class files of {@code java.class.path}, read in its order, the way the JDK's application class loader finds
 * a class that belongs to no named module — but without asking that loader.
 *
 * <p>Why: a real application makes the agent decide about every non-JDK class its classes construct (the sample
 * service: 64 at start-up), and asking the loader ({@code getResource}) first searches the bootstrap loader, then
 * every module the application loader defines, each through the JDK's Java code in the interpreter: about half of a
 * decision's cost. Most of those classes are not {@code @Pooled}, and reading their file is enough to say so.
 *
 * <p>Only that answer is taken from here (the decide stage's {@code PoolCatalog}): "this class file, found first on the class path,
 * does not mention {@code @Pooled}". Anything else — found and pooled, not found — goes through the loader, because
 * a class the agent pools must be exactly the one the loader defines. The answer can differ from the loader's only
 * when a class is on the bootstrap path too ({@code -Xbootclasspath/a}), which the JVM searches first. A jar whose
 * manifest names more jars ({@code Class-Path}) makes the search order the loader's own business: from that jar on,
 * this answers nothing.
 */
public final class ClassPathFiles {

    private static final byte UNKNOWN = 0;
    private static final byte DIRECTORY = 1;
    private static final byte JAR = 2;
    private static final byte SKIPPED = 3;

    /** The class path's entries, in order. */
    private final File[] paths;
    /** What each entry turned out to be when first searched. */
    private final byte[] kinds;
    /** The opened jars, index for index with {@link #paths}. */
    private final JarFile[] jars;
    /** Index of the first jar with a {@code Class-Path} attribute: entries from there on are not searched. */
    private int searchable;
    private final Module[] modules;

    /**
     * @param classPath a class path ({@code java.class.path}'s syntax)
     * @param modules   the modules whose packages the loader serves from them, never from the class path
     */
    public ClassPathFiles(String classPath, Module[] modules) {
        String[] parts = classPath.isEmpty() ? new String[0] : classPath.split(File.pathSeparator, -1);
        paths = new File[parts.length];
        for (int i = 0; i < parts.length; i++) {
            paths[i] = new File(parts[i].isEmpty() ? "." : parts[i]);
        }
        kinds = new byte[parts.length];
        jars = new JarFile[parts.length];
        searchable = parts.length;
        this.modules = modules;
    }

    /** Returns the application class loader's class path, as this JVM started. */
    public static @Nullable ClassPathFiles ofApplication() {
        return new ClassPathFiles(System.getProperty("java.class.path", ""),
                ModuleLayer.boot().modules().toArray(new Module[0]));
    }

    /**
     * Tells whether a loader is the JDK's application class loader.
     *
     * @param loader a class loader
     * @return whether it is the JDK's own application class loader, whose class path this reads
     */
    public static boolean isApplicationLoader(ClassLoader loader) {
        return loader != null && loader == ClassLoader.getSystemClassLoader()
                && loader.getClass().getName().equals("jdk.internal.loader.ClassLoaders$AppClassLoader");
    }

    /**
     * Finds a class file on the class path, as the application class loader would.
     *
     * @param internalName a class, with slashes
     * @return the class file the first class path entry that has it holds, or {@code null} when the class is in a
     *         named module's package, on no entry searched, or behind a jar with a {@code Class-Path}
     */
    public synchronized byte @Nullable [] find(String internalName) throws IOException {
        int slash = internalName.lastIndexOf('/');
        String pkg = slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
        for (Module m : modules) {
            if (m.getPackages().contains(pkg)) {
                return null;
            }
        }
        String name = internalName + ".class";
        for (int i = 0; i < searchable; i++) {
            if (kinds[i] == UNKNOWN) {
                kinds[i] = kindOf(i);
                if (i >= searchable) {
                    return null; // a jar with a Class-Path: its own list comes next, in the loader's order
                }
            }
            if (kinds[i] == DIRECTORY) {
                File file = new File(paths[i], name);
                if (file.isFile()) {
                    return Files.readAllBytes(file.toPath());
                }
            } else if (kinds[i] == JAR) {
                JarEntry entry = jars[i].getJarEntry(name);
                if (entry != null) {
                    try (InputStream in = jars[i].getInputStream(entry)) {
                        return in.readAllBytes();
                    }
                }
            }
        }
        return null;
    }

    /**
     * What entry {@code i} is. A jar is opened for the runtime's version, as the loader opens it (a multi-release
     * jar answers with the entry the loader defines); a jar with a {@code Class-Path} ends the search there. A
     * missing or unreadable entry is skipped, as the loader skips it.
     */
    private byte kindOf(int i) {
        File path = paths[i];
        if (path.isDirectory()) {
            return DIRECTORY;
        }
        if (!path.isFile()) {
            return SKIPPED;
        }
        try {
            JarFile jar = new JarFile(path, false, ZipFile.OPEN_READ, JarFile.runtimeVersion());
            java.util.jar.Manifest manifest = jar.getManifest();
            if (manifest != null && manifest.getMainAttributes().getValue("Class-Path") != null) {
                jar.close();
                searchable = i;
                return SKIPPED;
            }
            jars[i] = jar;
            return JAR;
        } catch (IOException | RuntimeException e) {
            return SKIPPED; // not a jar the loader could read either
        }
    }

    /** Closes the jars opened so far. */
    public synchronized void close() throws IOException {
        for (int i = 0; i < jars.length; i++) {
            if (jars[i] != null) {
                jars[i].close();
                jars[i] = null;
            }
        }
    }
}
