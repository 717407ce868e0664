package dev.shelf.agent.loaders;

import org.jspecify.annotations.Nullable;

/**
 * The source of the method {@link LoaderHook} copies into class loaders; never called here.
 *
 * <p>It is written in Java rather than emitted instruction by instruction so that it can be read, and it uses
 * {@code java.lang} only: the copy runs inside the application's class loader, where any other name could resolve
 * to something else — including another copy of Shelf.
 */
final class LoaderHookTemplate {

    private LoaderHookTemplate() {
    }

    /**
     * The pool runtime's class of that name, from the bootstrap class path where the agent put it — or {@code null}
     * for every other name, and for runtime names the agent's runtime does not have, so the loader's own lookup
     * applies to them (an application's own classes in a {@code dev.shelf.*} package of its own still load normally).
     *
     * @param name a binary class name, as passed to {@code loadClass}
     * @return the agent's runtime class, or {@code null}
     */
    static @Nullable Class<?> runtimeClass(String name) {
        if (name == null || !name.startsWith("dev.shelf.")) {
            return null;
        }
        // dev.shelf.X (last dot at 9), or dev.shelf.internal and its sub-packages — never dev.shelf.agent.* or others
        if (name.lastIndexOf('.') != 9 && !name.startsWith("dev.shelf.internal.")) {
            return null;
        }
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException | SecurityException e) {
            return null;
        }
    }
}
