package dev.shelf.agent;

import dev.shelf.agent.config.ConfigException;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.rewrite.PoolCatalog;
import dev.shelf.agent.rewrite.RewriteCache;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.jar.JarFile;

/**
 * {@code -javaagent:shelf-agent.jar[=config=PATH,key=value,...]}: validates the configuration, puts the pool runtime
 * (with the agent's own ASM, {@link #NESTED_BOOT}) on the bootstrap class path and installs the
 * {@link ShelfTransformer}.
 *
 * <p>The runtime goes on the bootstrap path (not just the application class path) so that rewritten code in any
 * class loader — web-app loaders, plugin loaders — resolves {@code dev.shelf.*} to one single copy: the one
 * carried by this agent, whatever version the application bundles. The application's own {@code pool-runtime}
 * jar then only serves compilation and runs without the agent. Class loaders that do not delegate to their parent
 * first are made to, for the runtime's names ({@link LoaderHook}); named modules are made to read the runtime
 * ({@link ModuleReads}). One case cannot be redirected: pool-runtime as a named module on the module path, whose
 * classes the JVM's own application loader serves ({@link RuntimeOnModulePath}).
 */
public final class ShelfAgent {

    /**
     * The pool runtime and the agent's relocated ASM, one jar that premain puts on the bootstrap class path (the
     * build makes it). The runtime must be there so that every class loader sees one copy; ASM is there for
     * start-up: the JVM defines bootstrap classes itself, without the application class loader's Java code and
     * without verifying them, and ASM is most of what the first rewrite of a run loads (~60 classes). Nothing but
     * the agent names ASM's relocated package, and ASM has no dependencies to find from there. One jar, not two:
     * HotSpot prints its "bootstrap classpath has been appended" warning once per jar.
     */
    static final String NESTED_BOOT = "/META-INF/shelf/boot.jar";
    /**
     * Entries of {@link #NESTED_BOOT} under this prefix are the agent's (ASM), not the runtime's. ASM is at the agent
     * jar's root too, for the deployment that appends nothing (the runtime as a named module).
     */
    static final String AGENT_ENTRIES = "dev/shelf/agent/";
    /** Written by Maven at each build: the build id that keys {@code shelf.cache.dir} entries ({@link #buildId}). */
    static final String BUILD_INFO = "/META-INF/shelf/build.properties";

    private ShelfAgent() {
    }

    /**
     * The agent's entry point.
     *
     * @param agentArgs the text after {@code =} in {@code -javaagent:...}, or {@code null}
     * @param inst      the JVM's instrumentation
     */
    public static void premain(String agentArgs, Instrumentation inst) {
        ShelfConfig config;
        try {
            config = ShelfConfig.load(agentArgs, System.getenv(), System.getProperties());
        } catch (ConfigException e) {
            System.err.println("[shelf] ERROR " + e.getMessage() + " (the JVM stops: fix the configuration or "
                    + "remove -javaagent)");
            System.exit(2);
            return;
        }
        if (!config.enabled()) {
            ShelfLog.info("disabled by shelf.enabled=false; nothing is rewritten");
            return;
        }
        RuntimeOnModulePath onModulePath = RuntimeOnModulePath.find();
        if (onModulePath != null && !onModulePath.sameAsAgents()) {
            ShelfLog.info("WARN " + onModulePath.describe() + " holds pool-runtime classes that differ from the "
                    + "agent's own; a named module's classes cannot be replaced, so Shelf is off for this JVM (declare "
                    + "`requires static dev.shelf;` and leave pool-runtime off the run-time module path, or put the "
                    + "agent's version there)");
            return;
        }
        // With the runtime a named module nothing is appended, and ASM comes from the agent jar like its other
        // classes: appending ASM alone would cost class data sharing for the application's classes.
        if (onModulePath == null && !appendNested(inst, NESTED_BOOT, "shelf-boot-", "the pool runtime")) {
            return;
        }
        ShelfLog.setExplain(config.explain());
        Module runtime = RuntimeBridge.activate(config);
        ShelfTransformer transformer = new ShelfTransformer(config,
                new PoolCatalog(config, config.strict(), rewriteCache(config)), config.strict());
        transformer.moduleReads(new ModuleReads(inst, runtime));
        inst.addTransformer(transformer, false);
        if (ShelfLog.explaining()) {
            ShelfLog.explain("agent installed: " + config + (onModulePath == null ? ""
                    : "; the pool runtime is " + onModulePath.describe() + ", identical to the agent's"));
        }
    }

    /**
     * {@code shelf.cache.dir}: the cache, with a fingerprint of what else the agent's output depends on — this build
     * of the agent and the settings that shape rewriting (the cache adds the JDK's version itself).
     *
     * @return the cache, or {@code null} when none is configured (or this build cannot say which it is)
     */
    static RewriteCache rewriteCache(ShelfConfig config) {
        if (config.cacheDir() == null) {
            return null;
        }
        String build = buildId();
        if (build == null) {
            ShelfLog.info("WARN " + BUILD_INFO + " is missing from the agent jar, so entries in shelf.cache.dir "
                    + "could not be told from another build's; the cache is off for this JVM");
            return null;
        }
        RewriteCache cache = new RewriteCache(config.cacheDir().toFile(), build + "|strict=" + config.strict()
                + "|include=" + config.include() + "|exclude=" + config.exclude());
        if (cache.readOnly()) {
            ShelfLog.info("shelf.cache.dir " + config.cacheDir() + " is read-only: its entries are used, none are "
                    + "written");
        }
        return cache;
    }

    /** @return the {@code build} line of the agent's build information, or {@code null} */
    static String buildId() {
        try (InputStream in = ownResource(BUILD_INFO)) {
            if (in == null) {
                return null;
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("build=") && !line.contains("${")) {
                    return line.substring("build=".length()).trim();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The nested bootstrap jar — the pool runtime, and ASM under {@link #AGENT_ENTRIES} — read from the agent's own
     * jar file ({@link #ownResource}).
     *
     * @return the nested jar's bytes as a stream, or {@code null} if it is missing
     */
    static InputStream nestedBootJar() throws IOException {
        return ownResource(NESTED_BOOT);
    }

    /**
     * A resource of the agent's own jar, read from the jar file. Not through
     * {@code Class.getResourceAsStream}: the application class loader first searches the resource in every module
     * it defines (opening the JDK's runtime image) and then serves it through a {@code jar:} URL connection, ~4 ms
     * of classes in {@code premain}. Opening the agent's jar again is cheap — the JDK shares the already-read
     * central directory of an open zip file.
     *
     * @param name the resource, starting with {@code /}
     * @return the resource as a stream, or {@code null} if it is missing
     */
    static InputStream ownResource(String name) throws IOException {
        java.security.CodeSource source = ShelfAgent.class.getProtectionDomain().getCodeSource();
        java.net.URL location = source == null ? null : source.getLocation();
        if (location != null && "file".equals(location.getProtocol())) {
            try {
                JarFile own = new JarFile(new File(location.toURI()));
                java.util.jar.JarEntry entry = own.getJarEntry(name.substring(1));
                if (entry != null) {
                    return new java.io.FilterInputStream(own.getInputStream(entry)) {
                        @Override
                        public void close() throws IOException {
                            try {
                                super.close();
                            } finally {
                                own.close();
                            }
                        }
                    };
                }
                own.close();
            } catch (java.net.URISyntaxException | IllegalArgumentException | IOException e) {
                // Not a plain file after all: ask the class loader below.
            }
        }
        return ShelfAgent.class.getResourceAsStream(name);
    }

    /**
     * Puts one of the jars nested in the agent's jar on the bootstrap class path, through a file in
     * {@code java.io.tmpdir} (the JVM takes only files), deleted when the JVM exits.
     *
     * @return whether it is there; if not, one line has said why and that Shelf is off
     */
    private static boolean appendNested(Instrumentation inst, String resource, String prefix, String what) {
        String tmp = System.getProperty("java.io.tmpdir");
        try (InputStream in = ownResource(resource)) {
            if (in == null) {
                ShelfLog.info("WARN " + resource.substring(1) + " is missing from the agent jar (only the jar the "
                        + "build makes, agent/target/shelf-agent.jar, has it); Shelf is off for this JVM");
                return false;
            }
            byte[] jar = in.readAllBytes();
            File file;
            try {
                file = writeTemp(jar, prefix, tmp);
            } catch (IOException | RuntimeException e) {
                ShelfLog.info("WARN could not write " + what + " to java.io.tmpdir " + tmp + " (" + e + "); Shelf "
                        + "is off for this JVM: it needs a writable directory there (-Djava.io.tmpdir=...)");
                return false;
            }
            inst.appendToBootstrapClassLoaderSearch(new JarFile(file));
            return true;
        } catch (IOException | RuntimeException e) {
            ShelfLog.info("WARN could not install " + what + " (" + e + "); Shelf is off for this JVM");
            return false;
        }
    }

    /*
     * Written without SecureRandom (which Files.createTempFile seeds, loading the security providers: ~20 ms at
     * start) and without NIO channels: createNewFile creates the file exclusively (O_EXCL: it refuses a file or link
     * someone else put there), and only when that name is taken does the random name serve.
     */
    private static File writeTemp(byte[] jar, String prefix, String tmp) throws IOException {
        File file = new File(tmp, prefix + Long.toHexString(System.nanoTime()) + ".jar");
        if (!file.createNewFile()) {
            file = Files.createTempFile(java.nio.file.Path.of(tmp), prefix, ".jar").toFile();
        }
        try (FileOutputStream out = new FileOutputStream(file)) {
            out.write(jar);
        }
        file.deleteOnExit();
        return file;
    }
}
