package dev.shelf.agent;

import dev.shelf.agent.cache.RewriteCache;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.loaders.ModuleReads;
import dev.shelf.agent.loaders.RuntimeBridge;
import dev.shelf.agent.report.ShelfLog;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * The agent's start once its jar is where its classes come from: connects the pool runtime to the configuration and
 * installs the {@link ShelfTransformer}.
 *
 * <p>Separate from {@link ShelfAgent} because of where it is loaded: {@code premain} names this class only after it
 * has put the agent's jar on the bootstrap class path, so the application class loader, asking its parents first,
 * gets it — and with it everything the transformer uses — from there. Hence the plain parameters: a
 * {@code ShelfConfig} made by {@code premain}'s copy of the class could not be passed to this one's.
 */
public final class AgentStart {

    /** Written by Maven at each build: the build id that keys {@code shelf.cache.dir} entries ({@link #buildId}). */
    static final String BUILD_INFO = "META-INF/shelf/build.properties";

    private AgentStart() {
    }

    /**
     * Installs the transformer.
     *
     * @param agentArgs     the agent argument, which {@code premain} has validated already
     * @param inst          the JVM's instrumentation
     * @param agentJar      the agent's jar file, or {@code null} if it is not a local file
     * @param moduleRuntime when the runtime is a named module identical to the agent's, its description; else
     *                      {@code null} (the runtime came with the agent's jar)
     */
    public static void start(String agentArgs, Instrumentation inst, @Nullable String agentJar,
                             @Nullable String moduleRuntime) {
        ShelfConfig config = ShelfConfig.loadOrStop(agentArgs);
        ShelfLog.setExplain(config.explain());
        Module runtime = RuntimeBridge.activate(config);
        ShelfTransformer transformer = new ShelfTransformer(config,
                Pipeline.of(config, config.strict(), rewriteCache(config, agentJar)));
        transformer.moduleReads(new ModuleReads(inst, runtime));
        if (config.revertAfter() > 0 && inst.isRedefineClassesSupported()) {
            SiteReverter reverter = new SiteReverter(inst, transformer);
            transformer.siteNumbers(reverter);
            RuntimeBridge.watchSites(config.revertAfter(), reverter);
        }
        inst.addTransformer(transformer, false);
        if (ShelfLog.explaining()) {
            ShelfLog.explain("agent installed: " + config + (moduleRuntime == null ? ""
                    : "; the pool runtime is " + moduleRuntime + ", identical to the agent's"));
        }
    }

    /**
     * {@code shelf.cache.dir}: the cache, with a fingerprint of what else the agent's output depends on — this build
     * of the agent and the settings that shape rewriting (the cache adds the JDK's version itself).
     *
     * @param config   the configuration
     * @param agentJar the agent's jar file, or {@code null} to read the build id as a resource of this class
     * @return the cache, or {@code null} when none is configured (or this build cannot say which it is)
     */
    static @Nullable RewriteCache rewriteCache(ShelfConfig config, @Nullable String agentJar) {
        if (config.cacheDir() == null) {
            return null;
        }
        String build = buildId(agentJar);
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

    /**
     * The {@code build} line of the agent's build information. Read from the jar file itself when there is one:
     * as a resource it would be looked up through the application class loader, which first searches every module
     * it defines (opening the JDK's runtime image, ~4 ms of classes at start).
     *
     * @param agentJar the agent's jar file, or {@code null}
     * @return the build id, or {@code null} if the build information is missing
     */
    static @Nullable String buildId(@Nullable String agentJar) {
        try (JarFile jar = agentJar == null ? null : new JarFile(new File(agentJar));
             InputStream in = jar != null && jar.getJarEntry(BUILD_INFO) != null
                     ? jar.getInputStream(jar.getJarEntry(BUILD_INFO))
                     : AgentStart.class.getResourceAsStream("/" + BUILD_INFO)) {
            if (in == null) {
                return null;
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.startsWith("build=") && !line.contains("${")) {
                    return line.substring("build=".length()).trim();
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
