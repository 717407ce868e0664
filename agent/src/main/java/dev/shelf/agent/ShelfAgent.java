package dev.shelf.agent;

import dev.shelf.agent.config.ConfigException;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.rewrite.PoolCatalog;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * {@code -javaagent:shelf-agent.jar[=config=PATH,key=value,...]}: validates the configuration, puts the pool runtime
 * on the bootstrap class path and installs the {@link ShelfTransformer}.
 *
 * <p>The runtime goes on the bootstrap path (not just the application class path) so that rewritten code in any
 * class loader — web-app loaders, plugin loaders — resolves {@code dev.shelf.*} to one single copy: the one
 * carried by this agent, whatever version the application bundles. The application's own {@code pool-runtime}
 * jar then only serves compilation and runs without the agent.
 */
public final class ShelfAgent {

    private static final String NESTED_RUNTIME = "/META-INF/shelf/pool-runtime.jar";

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
        try {
            inst.appendToBootstrapClassLoaderSearch(new JarFile(extractRuntime().toFile()));
        } catch (IOException | RuntimeException e) {
            ShelfLog.info("WARN could not install the pool runtime (" + e + "); Shelf is off for this JVM");
            return;
        }
        ShelfLog.setExplain(config.explain());
        RuntimeBridge.activate(config);
        inst.addTransformer(new ShelfTransformer(config, new PoolCatalog(config, config.strict()), config.strict()),
                false);
        ShelfLog.explain("agent installed: " + config);
    }

    private static Path extractRuntime() throws IOException {
        try (InputStream in = ShelfAgent.class.getResourceAsStream(NESTED_RUNTIME)) {
            if (in == null) {
                throw new IOException(NESTED_RUNTIME + " is missing from the agent jar");
            }
            Path file = Files.createTempFile("shelf-pool-runtime-", ".jar");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        }
    }
}
