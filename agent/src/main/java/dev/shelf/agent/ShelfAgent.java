package dev.shelf.agent;

import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.loaders.LoaderHook;
import dev.shelf.agent.loaders.ModuleReads;
import dev.shelf.agent.loaders.RuntimeOnModulePath;
import dev.shelf.agent.report.ShelfLog;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * {@code -javaagent:shelf-agent.jar[=config=PATH,key=value,...]}: validates the configuration, puts the agent's own
 * jar — the pool runtime, the agent and its relocated ASM and Byte Buddy — on the bootstrap class path and hands
 * over to {@link AgentStart}, which installs the {@link ShelfTransformer}.
 *
 * <p>The runtime goes on the bootstrap path (not just the application class path) so that rewritten code in any
 * class loader — web-app loaders, plugin loaders — resolves {@code dev.shelf.*} to one single copy: the one
 * carried by this agent, whatever version the application bundles. The application's own {@code pool-runtime}
 * jar then only serves compilation and runs without the agent. Class loaders that do not delegate to their parent
 * first are made to, for the runtime's names ({@link LoaderHook}); named modules are made to read the runtime
 * ({@link ModuleReads}). One case cannot be redirected: pool-runtime as a named module on the module path, whose
 * classes the JVM's own application loader serves ({@link RuntimeOnModulePath}); then nothing is appended.
 *
 * <p>The agent's own classes go there too, for start-up: the JVM defines bootstrap classes itself, natively and
 * without verifying them, where the application class loader runs Java code (in the interpreter, this early) and
 * verifies each class. The first rewrite of a run loads ~80 classes of the agent and ASM; from the bootstrap path it
 * takes ~20 ms instead of ~35–45 (docs/startup.md). The whole jar is appended as it is — one jar, so
 * HotSpot prints its "bootstrap classpath has been appended" warning once, and nothing is extracted or written.
 *
 * <p>This class is a trampoline. The JVM loads it, and the few classes {@code premain} needs before the append
 * ({@link ShelfConfig}, {@link RuntimeOnModulePath}, {@link ShelfLog}), through the application class loader; every
 * class first used after the append comes from the bootstrap path, because that loader asks its parents first. So
 * {@code premain} passes nothing but JDK types to {@link AgentStart}, and the configuration is read again there
 * (a copy of {@code ShelfConfig} from one loader cannot be used as the other's).
 */
public final class ShelfAgent {

    private ShelfAgent() {
    }

    /**
     * The agent's entry point.
     *
     * @param agentArgs the text after {@code =} in {@code -javaagent:...}, or {@code null}
     * @param inst      the JVM's instrumentation
     */
    public static void premain(String agentArgs, Instrumentation inst) {
        ShelfConfig config = ShelfConfig.loadOrStop(agentArgs);
        if (!config.enabled()) {
            ShelfLog.info("disabled by shelf.enabled=false; nothing is rewritten");
            return;
        }
        File jar = ownJar();
        RuntimeOnModulePath onModulePath = RuntimeOnModulePath.find();
        if (onModulePath != null && !onModulePath.sameAsAgents(jar)) {
            ShelfLog.info("WARN " + onModulePath.describe() + " holds pool-runtime classes that differ from the "
                    + "agent's own; a named module's classes cannot be replaced, so Shelf is off for this JVM (declare "
                    + "`requires static dev.shelf;` and leave pool-runtime off the run-time module path, or put the "
                    + "agent's version there)");
            return;
        }
        // With the runtime a named module nothing is appended: the agent's classes then come from its jar on the
        // class path like any agent's, and class data sharing stays on for the application's classes.
        if (onModulePath == null) {
            if (jar == null) {
                ShelfLog.info("WARN the agent's jar is not a file this JVM can append to the bootstrap class path ("
                        + ShelfAgent.class.getProtectionDomain().getCodeSource() + "); Shelf is off for this JVM: "
                        + "start it with -javaagent:/path/to/shelf-agent.jar");
                return;
            }
            try {
                inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            } catch (IOException | RuntimeException e) {
                ShelfLog.info("WARN could not put the agent's jar " + jar + " on the bootstrap class path (" + e
                        + "); Shelf is off for this JVM");
                return;
            }
        }
        AgentStart.start(agentArgs, inst, jar == null ? null : jar.getPath(),
                onModulePath == null ? null : onModulePath.describe());
    }

    /** Returns the agent's jar file, or {@code null} when this class was not loaded from a local jar file. */
    static @Nullable File ownJar() {
        java.security.CodeSource source = ShelfAgent.class.getProtectionDomain().getCodeSource();
        java.net.URL location = source == null ? null : source.getLocation();
        if (location == null || !"file".equals(location.getProtocol())) {
            return null;
        }
        try {
            File file = new File(location.toURI());
            return file.isFile() ? file : null;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
