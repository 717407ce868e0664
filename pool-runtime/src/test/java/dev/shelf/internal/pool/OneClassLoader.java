package dev.shelf.internal.pool;

import java.io.IOException;
import java.io.InputStream;

/**
 * A class loader that defines one class itself, from its parent's class file (child-first for that class), and
 * asks its parent for everything else: the smallest stand-in for a web application's loader, so tests can make a
 * pooled class that lives and dies with its loader, or two classes of the same name.
 */
public final class OneClassLoader extends ClassLoader {

    private final String own;

    /**
     * @param name      the loader's name (shown in JMX object names), or {@code null}
     * @param own       the binary name of the class this loader defines itself
     * @param neighbour a class whose loader is the parent and has {@code own}'s class file
     */
    public OneClassLoader(String name, String own, Class<?> neighbour) {
        super(name, neighbour.getClassLoader());
        this.own = own;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.equals(own)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                    if (in == null) {
                        throw new ClassNotFoundException(name + ": no class file in the parent loader");
                    }
                    byte[] bytes = in.readAllBytes();
                    c = defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }
            return c;
        }
    }
}
