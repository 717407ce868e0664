package dev.shelf.agent.loaders;

import dev.shelf.agent.report.ShelfLog;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Lets classes of named modules link to the pool runtime.
 *
 * <p>The runtime lives in the bootstrap loader's unnamed module, and a named module reads only the modules it
 * {@code requires}: a rewritten class of a named module (or one that calls {@code Shelf.release} with the runtime
 * declared {@code requires static}) would fail with {@code IllegalAccessError}. Before such a class is defined, its
 * module is given a read edge to the runtime's module with {@link Instrumentation#redefineModule}. Nothing else is
 * needed: the unnamed module exports all its packages, and the runtime reaches pooled objects only through its own
 * public interfaces.
 */
public final class ModuleReads {

    private final Instrumentation inst;
    private final Module runtime;

    /**
     * @param inst    the JVM's instrumentation
     * @param runtime the module of the pool runtime the agent activated
     */
    public ModuleReads(Instrumentation inst, Module runtime) {
        this.inst = inst;
        this.runtime = runtime;
    }

    /**
     * Makes {@code module} read the runtime if it is a named module that does not yet.
     *
     * @param module    the module of the class being defined
     * @param className the class, for the messages
     */
    public void ensure(Module module, String className) {
        if (module == null || !module.isNamed() || module.canRead(runtime)) {
            return;
        }
        try {
            inst.redefineModule(module, Set.of(runtime), Map.of(), Map.of(), Set.of(), Map.of());
            ShelfLog.explain("module " + module.getName() + " now reads the pool runtime (for "
                    + className.replace('/', '.') + ")");
        } catch (RuntimeException e) {
            ShelfLog.warnOnce("module:" + module.getName(), "cannot let module " + module.getName() + " read the "
                    + "pool runtime (" + e + "); its classes that use Shelf fail with IllegalAccessError");
        }
    }
}
