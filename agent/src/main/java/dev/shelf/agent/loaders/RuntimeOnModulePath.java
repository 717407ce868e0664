package dev.shelf.agent.loaders;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * {@code pool-runtime} as a named module of the boot layer: an application that declares {@code requires dev.shelf}
 * and puts the jar on the module path.
 *
 * <p>Its packages then belong to that module, and the JVM's application class loader — which the agent cannot
 * change — serves {@code dev.shelf.*} from it to every class it loads, whatever is on the bootstrap path. The agent
 * can use such a module as the runtime only if it is the agent's own runtime, byte for byte; otherwise generated code
 * would call a runtime it was not generated for, and the agent stays off.
 */
public final class RuntimeOnModulePath {

    private final Module module;

    private RuntimeOnModulePath(Module module) {
        this.module = module;
    }

    /** Returns the boot layer's module holding {@code dev.shelf} or {@code dev.shelf.internal}, or {@code null}. */
    public static @Nullable RuntimeOnModulePath find() {
        for (Module m : ModuleLayer.boot().modules()) {
            Set<String> packages = m.getPackages();
            if (packages.contains("dev.shelf") || packages.contains("dev.shelf.internal")) {
                return new RuntimeOnModulePath(m);
            }
        }
        return null;
    }

    /** Returns e.g. {@code module dev.shelf (0.1.0) on the module path}. */
    public String describe() {
        return "module " + module.getName() + module.getDescriptor().rawVersion().map(v -> " (" + v + ")").orElse("")
                + " on the module path";
    }

    /**
     * Whether every runtime class of the agent's jar ({@code dev/shelf/*.class} and {@code dev/shelf/internal/}, at
     * its root) is in the module with the same bytes.
     *
     * @param agentJar the agent's jar file, or {@code null} if it is not a local file (then no comparison is possible)
     * @return {@code true} if the module is the agent's runtime
     */
    public boolean sameAsAgents(@Nullable File agentJar) {
        if (agentJar == null) {
            return false;
        }
        try (JarFile jar = new JarFile(agentJar)) {
            int classes = 0;
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry e = entries.nextElement();
                String name = e.getName();
                if (!name.endsWith(".class") || !name.startsWith("dev/shelf/") || name.startsWith("dev/shelf/agent/")
                        || name.endsWith("module-info.class")) {
                    continue;
                }
                byte[] ours;
                try (InputStream in = jar.getInputStream(e)) {
                    ours = in.readAllBytes();
                }
                try (InputStream theirs = module.getResourceAsStream(name)) {
                    if (theirs == null || !Arrays.equals(ours, theirs.readAllBytes())) {
                        return false;
                    }
                }
                classes++;
            }
            return classes > 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
