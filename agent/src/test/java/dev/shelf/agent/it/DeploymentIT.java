package dev.shelf.agent.it;

import dev.shelf.agent.it.OutsideProgram.Run;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployments issue 7 names, through the real shaded agent jar on JDK 17 and JDK 25: a web-app style child-first
 * class loader that bundles its own (different) {@code pool-runtime}, a plugin-style parent-first loader, and an
 * application that is a named module.
 */
class DeploymentIT {

    /** A web application's classes: a pooled class, and a handler that uses it through the app-visible API. */
    private static final Map<String, String> WEBAPP = Map.of(
            "webapp/Request.java", """
                    package webapp;

                    @dev.shelf.Pooled
                    public class Request {
                        int n;
                        byte[] body = new byte[1024];
                    }
                    """,
            "webapp/Handler.java", """
                    package webapp;

                    import dev.shelf.Shelf;

                    public class Handler implements java.util.function.Supplier<String> {
                        @Override
                        public String get() {
                            Request a = new Request();
                            a.n = 5;
                            Shelf.release(a);
                            Request b = new Request();
                            String bundled;
                            try {
                                bundled = (String) Class.forName("dev.shelf.BundledVersion").getField("VERSION").get(null);
                            } catch (ReflectiveOperationException e) {
                                bundled = "none";
                            }
                            long reused = Shelf.stats().pool("webapp.Request").map(p -> p.reused()).orElse(-1L);
                            return "same=" + (a == b) + " fresh=" + (b.n == 0) + " active=" + Shelf.isActive()
                                    + " shelfLoader=" + Shelf.class.getClassLoader() + " bundled=" + bundled
                                    + " reused=" + reused;
                        }
                    }
                    """);

    /** The container: loads the web application through a child-first or a plain parent-first loader. */
    private static final Map<String, String> CONTAINER = Map.of(
            "outside/ChildFirstLoader.java", """
                    package outside;

                    import java.net.URL;
                    import java.net.URLClassLoader;

                    /** Like a servlet container's web-app loader: its own classes and jars first, then the parent. */
                    public class ChildFirstLoader extends URLClassLoader {
                        public ChildFirstLoader(URL[] urls, ClassLoader parent) {
                            super(urls, parent);
                        }

                        @Override
                        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                            synchronized (getClassLoadingLock(name)) {
                                Class<?> c = findLoadedClass(name);
                                if (c == null && !name.startsWith("java.")) {
                                    try {
                                        c = findClass(name);
                                    } catch (ClassNotFoundException e) {
                                        // not here: ask the parent
                                    }
                                }
                                if (c == null) {
                                    c = getParent().loadClass(name);
                                }
                                if (resolve) {
                                    resolveClass(c);
                                }
                                return c;
                            }
                        }
                    }
                    """,
            "outside/Container.java", """
                    package outside;

                    import java.net.URL;
                    import java.net.URLClassLoader;
                    import java.nio.file.Path;
                    import java.util.function.Supplier;

                    public class Container {
                        @SuppressWarnings("unchecked")
                        public static void main(String[] args) throws Exception {
                            URL[] urls = {Path.of(args[1]).toUri().toURL(), Path.of(args[2]).toUri().toURL()};
                            ClassLoader parent = Container.class.getClassLoader();
                            ClassLoader loader = args[0].equals("child-first") ? new ChildFirstLoader(urls, parent)
                                    : new URLClassLoader(urls, parent);
                            Supplier<String> handler = (Supplier<String>) loader.loadClass("webapp.Handler")
                                    .getConstructor().newInstance();
                            System.out.println("round 1: " + handler.get());
                            System.out.println("round 2: " + handler.get());
                            System.out.println("handler loader: " + handler.getClass().getClassLoader().getClass()
                                    .getSimpleName());
                        }
                    }
                    """);

    /** "Another version" of pool-runtime, as an application might bundle it: the API, different inside. */
    private static final Map<String, String> OTHER_RUNTIME = Map.of(
            "dev/shelf/Pooled.java", """
                    package dev.shelf;

                    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
                    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
                    public @interface Pooled {
                    }
                    """,
            "dev/shelf/Shelf.java", """
                    package dev.shelf;

                    public final class Shelf {
                        public static void release(Object o) {
                        }

                        public static boolean isActive() {
                            return false;
                        }
                    }
                    """,
            "dev/shelf/BundledVersion.java", """
                    package dev.shelf;

                    public final class BundledVersion {
                        public static final String VERSION = "0.0.1-bundled";
                    }
                    """);

    /*
     * Two modules, because the JVM itself lets a module read the boot loader's unnamed module once an agent has
     * transformed one of its classes: app.util, whose only class is not rewritten (it just calls Shelf.release), is
     * the one that needs the agent's explicit read edge (ModuleReads).
     */
    private static final String UTIL_RECYCLER = """
            package util;

            import dev.shelf.Shelf;

            public final class Recycler {
                public static void giveBack(Object o) {
                    Shelf.release(o);
                }
            }
            """;

    private static final String MODULE_MAIN = """
            package app;

            import dev.shelf.Shelf;

            public class Main {
                public static void main(String[] args) {
                    Buffer a = new Buffer();
                    a.used = 3;
                    util.Recycler.giveBack(a);
                    Buffer b = new Buffer();
                    System.out.println("same=" + (a == b) + " fresh=" + (b.used == 0) + " active=" + Shelf.isActive()
                            + " in " + Main.class.getModule() + ", runtime in " + Shelf.class.getModule());
                }
            }
            """;

    private static final String MODULE_BUFFER = """
            package app;

            @dev.shelf.Pooled
            public class Buffer {
                int used;
                byte[] bytes = new byte[512];
            }
            """;

    static Path agentJar;
    static Path runtimeJar;
    static Path container;
    static Path webapp;
    static Path otherRuntimeJar;
    static Path staticModule;
    static Path requiringModule;

    @BeforeAll
    static void build(@TempDir Path dir) throws IOException {
        agentJar = Path.of(System.getProperty("shelf.agent.jar"));
        runtimeJar = Path.of(System.getProperty("shelf.runtime.jar"));
        assertThat(agentJar).isRegularFile();
        assertThat(runtimeJar).isRegularFile();
        webapp = javac(dir.resolve("webapp"), WEBAPP, "-cp", runtimeJar.toString());
        container = javac(dir.resolve("container"), CONTAINER);
        Path other = javac(dir.resolve("other-runtime"), OTHER_RUNTIME);
        otherRuntimeJar = jar(other, dir.resolve("pool-runtime-0.0.1-bundled.jar"));
        // What a user of named modules writes: `requires static` when the agent provides the runtime at run time...
        staticModule = modules(dir.resolve("src-static"), dir.resolve("mods-static"), "static ");
        // ...or plain `requires`, with pool-runtime on the module path as well.
        requiringModule = modules(dir.resolve("src-requires"), dir.resolve("mods-requires"), "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"17", "25"})
    void childFirstLoaderBundlingAnotherRuntimeStillGetsTheAgentsRuntime(String jdk) throws Exception {
        Run r = java(jdk, true, "-cp", container.toString(), "outside.Container", "child-first", webapp.toString(),
                otherRuntimeJar.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("handler loader: ChildFirstLoader");
        // The app-visible API (Shelf.release, Shelf.stats) is the agent's, from the bootstrap loader: the released
        // object comes back, and the agent's statistics count it. Names only the bundled copy has still load from it.
        assertThat(r.out()).contains("round 1: same=true fresh=true active=true shelfLoader=null "
                + "bundled=0.0.1-bundled reused=1");
        assertThat(r.out()).contains("round 2: same=true fresh=true active=true shelfLoader=null "
                + "bundled=0.0.1-bundled reused=2");
        assertThat(r.err()).doesNotContain("WARN", "Exception", "Error");
    }

    @Test
    void withoutTheAgentTheChildFirstLoaderUsesItsOwnCopy() throws Exception {
        // The control: the same container without the agent really does resolve dev.shelf.* to the bundled copy
        // (which has no Shelf.stats, so the handler fails) — the agent's hook is what changes that.
        Run r = java("17", false, "-cp", container.toString(), "outside.Container", "child-first", webapp.toString(),
                otherRuntimeJar.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("NoSuchMethodError").contains("dev.shelf.Shelf.stats()");
    }

    @ParameterizedTest
    @ValueSource(strings = {"17", "25"})
    void pluginStyleParentFirstLoaderWorks(String jdk) throws Exception {
        Run r = java(jdk, true, "-cp", container + File.pathSeparator + runtimeJar, "outside.Container", "plugin",
                webapp.toString(), otherRuntimeJar.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("handler loader: URLClassLoader");
        assertThat(r.out()).contains("round 2: same=true fresh=true active=true shelfLoader=null");
        assertThat(r.err()).doesNotContain("WARN", "Exception", "Error");
    }

    @ParameterizedTest
    @ValueSource(strings = {"17", "25"})
    void namedModuleRequiringTheRuntimeStaticallyReadsTheAgentsRuntime(String jdk) throws Exception {
        Run r = java(jdk, true, "--module-path", staticModule.toString(), "-m", "app.mod/app.Main");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("same=true fresh=true active=true in module app.mod, runtime in unnamed module");
        assertThat(r.err()).doesNotContain("IllegalAccessError", "WARN");

        // Without the agent the same module runs when the runtime is added to the module graph.
        Run plain = java(jdk, false, "--module-path", staticModule + File.pathSeparator + runtimeJar,
                "--add-modules", "dev.shelf", "-m", "app.mod/app.Main");
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("same=false fresh=true active=false in module app.mod, runtime in module "
                + "dev.shelf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"17", "25"})
    void namedModuleWithTheAgentsRuntimeOnTheModulePathUsesIt(String jdk) throws Exception {
        Run r = java(jdk, true, "--module-path", requiringModule + File.pathSeparator + runtimeJar,
                "-m", "app.mod/app.Main");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("same=true fresh=true active=true in module app.mod, runtime in module dev.shelf");
        assertThat(r.err()).doesNotContain("IllegalAccessError", "WARN");
    }

    @Test
    void anotherRuntimeVersionOnTheModulePathTurnsTheAgentOffWithOneLineAndTheAppRuns() throws Exception {
        Run r = java("17", true, "--module-path", requiringModule + File.pathSeparator + otherRuntimeJar,
                "-m", "app.mod/app.Main");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("same=false fresh=true active=false");
        List<String> shelf = r.err().lines().filter(l -> l.startsWith("[shelf]")).toList();
        assertThat(shelf).hasSize(1);
        assertThat(shelf.get(0)).startsWith("[shelf] WARN module dev.shelf").contains("differ from the agent's own",
                "Shelf is off for this JVM", "requires static dev.shelf");
    }

    private static Run java(String jdk, boolean agent, String... args) throws Exception {
        String home = jdk.equals("25") ? OutsideProgram.jdk25() : System.getProperty("java.home");
        List<String> cmd = new ArrayList<>(List.of(Path.of(home, "bin", "java").toString()));
        if (agent) {
            cmd.add("-javaagent:" + agentJar);
        }
        cmd.addAll(List.of(args));
        return OutsideProgram.exec(cmd, Map.of());
    }

    /** Compiles modules app.util and app.mod (which requires app.util) into {@code mods}, returning it. */
    private static Path modules(Path src, Path mods, String requires) throws IOException {
        String modulePath = runtimeJar.toString();
        Path util = javac(src.resolve("app.util"), Map.of(
                "module-info.java", "module app.util { requires " + requires + "dev.shelf; exports util; }",
                "util/Recycler.java", UTIL_RECYCLER), "--module-path", modulePath);
        Files.createDirectories(mods);
        Files.move(util, mods.resolve("app.util"));
        Path app = javac(src.resolve("app.mod"), Map.of(
                "module-info.java", "module app.mod { requires " + requires + "dev.shelf; requires app.util; }",
                "app/Main.java", MODULE_MAIN, "app/Buffer.java", MODULE_BUFFER),
                "--module-path", modulePath + File.pathSeparator + mods);
        Files.move(app, mods.resolve("app.mod"));
        return mods;
    }

    /** Compiles sources (relative path to text) into {@code dir/classes}, returning that directory. */
    private static Path javac(Path dir, Map<String, String> sources, String... options) throws IOException {
        Path out = dir.resolve("classes");
        List<String> args = new ArrayList<>(List.of("--release", "17", "-d", out.toString()));
        args.addAll(List.of(options));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = dir.resolve("src").resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(new String[0]))).as("javac " + sources.keySet()).isZero();
        return out;
    }

    private static Path jar(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Automatic-Module-Name", "dev.shelf");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "0.0.1-bundled");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar;
    }
}
