package dev.shelf.agent;

import dev.shelf.agent.cache.RewriteCache;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.internal.ShelfRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the classes of one package child-first, through the real {@link ShelfTransformer}, exactly as the agent
 * would transform them — without an agent, so that a test can inspect every transformed class file.
 */
final class ShelfTestLoader extends ClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final String prefix;
    private final ShelfTransformer transformer;
    private final Map<String, byte[]> transformed = new ConcurrentHashMap<>();
    /** Class files woven at build time, by binary name: defined as they are, without the transformer. */
    private final Map<String, byte[]> woven;

    /**
     * @param packageName the package to load child-first, e.g. {@code dev.shelf.corpus}
     */
    ShelfTestLoader(String packageName) {
        this(packageName, false);
    }

    /**
     * @param packageName the package to load child-first
     * @param strict      rewrite for strict mode
     */
    ShelfTestLoader(String packageName, boolean strict) {
        this(packageName, strict, null);
    }

    /**
     * @param packageName the package to load child-first
     * @param strict      rewrite for strict mode
     * @param cache       the cache of rewritten classes ({@code shelf.cache.dir}), or {@code null}
     */
    ShelfTestLoader(String packageName, boolean strict, RewriteCache cache) {
        super("shelf-test", ShelfTestLoader.class.getClassLoader());
        this.prefix = packageName + ".";
        ShelfConfig config = new ShelfConfig(true, List.of(packageName), List.of(), 64, false);
        this.transformer = new ShelfTransformer(config, Pipeline.of(config, strict, cache));
        this.woven = Map.of();
        ShelfRegistry.activate(64);
    }

    /**
     * Loads the classes of one package child-first from class files woven at build time, as a woven application
     * runs: no transformer, and the runtime activated by the woven classes themselves.
     *
     * @param packageName the package to load child-first
     * @param woven       its class files (woven or not), by binary name
     */
    ShelfTestLoader(String packageName, Map<String, byte[]> woven) {
        super("shelf-woven", ShelfTestLoader.class.getClassLoader());
        this.prefix = packageName + ".";
        this.transformer = null;
        this.woven = Map.copyOf(woven);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(prefix)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] prewoven = woven.get(name);
                byte[] original = prewoven != null ? prewoven : originalBytes(name);
                byte[] changed = transformer == null ? null
                        : transformer.transform(this, name.replace('.', '/'), null, null, original);
                if (changed != null) {
                    transformed.put(name, changed);
                }
                byte[] bytes = changed != null ? changed : original;
                c = defineClass(name, bytes, 0, bytes.length);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    /**
     * The untransformed class file, as the application class path has it.
     *
     * @param name binary class name
     * @return its bytes
     * @throws ClassNotFoundException when there is no such class file
     */
    static byte[] originalBytes(String name) throws ClassNotFoundException {
        try (InputStream in = ShelfTestLoader.class.getClassLoader()
                .getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new ClassNotFoundException(name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    /** @return the class files the transformer changed, by binary name */
    Map<String, byte[]> transformed() {
        return transformed;
    }

    /**
     * Calls a static method of a class loaded by this loader.
     *
     * @param className binary name
     * @param method    method name (must be unique by name and arity)
     * @param args      arguments
     * @return what it returned
     */
    Object call(String className, String method, Object... args) {
        try {
            for (java.lang.reflect.Method m : loadClass(className).getMethods()) {
                if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                    return m.invoke(null, args);
                }
            }
            throw new IllegalArgumentException("no " + className + "." + method + " with " + args.length + " args");
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
