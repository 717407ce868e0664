package dev.shelf.agent;

import dev.shelf.agent.classfile.ClassFileScan;
import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.decide.LoaderDecisions;
import dev.shelf.agent.decide.PoolCatalog;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.emit.ClassRewriter;
import org.jspecify.annotations.Nullable;
import dev.shelf.agent.loaders.LoaderHook;
import dev.shelf.agent.loaders.ModuleReads;
import dev.shelf.agent.plan.RewritePlan;
import dev.shelf.agent.plan.SiteNumbers;
import dev.shelf.agent.plan.SitesToRewrite;
import dev.shelf.agent.report.ShelfLog;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * The class file transformer the agent installs: one pass per class through the agent's stages —
 * <b>scan</b> ({@link ClassFileScan}) → <b>decide</b> ({@link PoolCatalog}) → <b>plan</b> ({@link RewritePlan}) →
 * <b>cache | emit</b> ({@link Pipeline#emitter()}) → <b>report</b> ({@link AgentListener}) — falling back to the
 * original bytes, with one warning, whenever anything goes wrong.
 *
 * <p>Most classes need nothing: they neither are {@code @Pooled} nor allocate a {@code @Pooled} class. They are
 * recognised by the scan, one pass over their constant pool, and returned untouched ({@code null}), which the JVM
 * treats as "unchanged". Two more jobs for real deployments: class loaders that override {@code loadClass} are made
 * to answer the runtime's names with the agent's copy ({@link LoaderHook}), and named modules whose classes use the
 * runtime are made to read it ({@link ModuleReads}).
 */
public final class ShelfTransformer implements ClassFileTransformer {

    private final ShelfConfig config;
    private final Pipeline stages;
    private final PoolCatalog catalog;
    private final ClassLoader platform = ClassLoader.getPlatformClassLoader();
    private final boolean strict;
    private final AgentListener listener;
    private volatile @Nullable ModuleReads moduleReads;
    /** Numbers sites; {@link SiteReverter} answers {@link SiteNumbers#LEAVE} for sites turned back to plain new. */
    private volatile SiteNumbers numbers = SiteNumbers.RUNTIME;
    /** Whether explain mode was told once that classes woven at build time are left alone. */
    private volatile boolean wovenSaid;

    /**
     * @param config the validated configuration
     * @param stages the agent's stages, made for the same mode
     */
    public ShelfTransformer(ShelfConfig config, Pipeline stages) {
        this(config, stages, ShelfLogListener.INSTANCE);
    }

    /**
     * @param config   the validated configuration
     * @param stages   the agent's stages, made for the same mode
     * @param listener told about every class rewritten, every warning and explain line
     */
    public ShelfTransformer(ShelfConfig config, Pipeline stages, AgentListener listener) {
        this.config = config;
        this.stages = stages;
        this.catalog = stages.catalog();
        this.strict = stages.strict();
        this.listener = listener;
    }

    /**
     * Lets rewritten classes of named modules read the runtime's module; without it (unit tests define classes in
     * unnamed modules only) module reads are left alone.
     *
     * @param reads what adds the read edges
     */
    void moduleReads(ModuleReads reads) {
        this.moduleReads = reads;
    }

    /**
     * Numbers sites through {@code numbers} from now on.
     *
     * @param numbers the numbering, which may leave sites alone
     */
    public void siteNumbers(SiteNumbers numbers) {
        this.numbers = numbers;
    }

    /**
     * Returns whether the class is pooled, as decided when it loaded.
     *
     * @param loader    a class loader
     * @param className internal name of a class it defines
     * @param bytes     its class file
     */
    PoolDecision decide(ClassLoader loader, String className, byte[] bytes) {
        return catalog.view(loader).decide(className, bytes);
    }

    /**
     * The class as this transformer makes it from its original bytes now, for a redefinition ({@link SiteReverter}).
     *
     * @param loader    the class's loader
     * @param className internal name
     * @param original  the class file as its loader has it
     * @return the rewritten bytes, or {@code original} when nothing is left to rewrite
     * @throws Exception when the rewrite fails
     */
    byte[] rewriteAgain(ClassLoader loader, String className, byte[] original) throws Exception {
        byte[] out = rewrite(catalog.view(loader), className, original, false, ClassFileScan.of(original));
        return out == null ? original : out;
    }

    @Override
    public byte @Nullable [] transform(Module module, ClassLoader loader, String className,
                                       Class<?> classBeingRedefined, ProtectionDomain protectionDomain, byte[] bytes) {
        return transformIn(module, loader, className, classBeingRedefined, bytes);
    }

    @Override
    public byte @Nullable [] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                                       ProtectionDomain protectionDomain, byte[] bytes) {
        return transformIn(null, loader, className, classBeingRedefined, bytes);
    }

    /*
     * Cheapest checks first: this runs for every class the JVM loads, most of it in the interpreter. JDK and Shelf
     * classes are recognised by name; for the rest, one pass over the constant pool (ClassFileScan) tells whether
     * there is anything to do at all, before any parser or string is made.
     */
    private byte @Nullable [] transformIn(@Nullable Module module, ClassLoader loader, String className,
                                          Class<?> classBeingRedefined, byte[] bytes) {
        if (className == null || classBeingRedefined != null || ShelfNames.isPlatformOrShelf(className)) {
            return null;
        }
        boolean promised = catalog.loaded(className);
        ClassFileScan scan = ClassFileScan.of(bytes);
        boolean application = loader != null && loader != platform;
        byte[] out = null;
        try {
            if (scan != null && scan.woven) {
                wovenSeen(className); // rewritten at build time already: never twice
            } else if (promised || (application && mayNeedRewrite(scan) && config.inScope(className))) {
                out = rewrite(catalog.view(loader), className, bytes, promised, scan);
            }
        } catch (Throwable t) {
            listener.onError(className, t);
        }
        // A class file whose constant pool does not parse was reported above: the JVM will refuse it anyway.
        if (application && scan != null && scan.mayDeclareLoadClass) {
            out = hookLoader(className, loader, out != null ? out : bytes, out);
        }
        if (moduleReads != null && module != null && (out != null || scan == null || scan.namesRuntime)) {
            moduleReads.ensure(module, className);
        }
        return out;
    }

    /** Says once, in explain mode, that classes woven at build time load as they are. */
    private void wovenSeen(String className) {
        if (!wovenSaid && ShelfLog.explaining()) {
            wovenSaid = true;
            ShelfLog.explain(className.replace('/', '.') + " and any other class woven at build time (shelf-maven-plugin)"
                    + " load as they are: the agent does not rewrite them again");
        }
    }

    /** Whether the scan leaves any chance that the class is pooled or has a site to rewrite. */
    private boolean mayNeedRewrite(@Nullable ClassFileScan scan) {
        return scan == null || strict || scan.mentionsPooled || scan.constructsOutsidePlatform();
    }

    /** scan → decide → plan → (cache | emit) → report, for a class that may need rewriting. */
    private byte @Nullable [] rewrite(LoaderDecisions view, String className, byte[] bytes, boolean promised,
                           @Nullable ClassFileScan scan) throws Exception {
        // decide
        PoolDecision self = scan != null && !scan.mentionsPooled && !promised ? PoolDecision.NOT_POOLED
                : view.decide(className, bytes);
        boolean requested = promised && self instanceof PoolDecision.NotPooled;
        if (requested) {
            self = view.decideRequested(className, bytes); // a `new @Pooled T()` site asked for this class
        }
        // plan
        boolean sites = SitesToRewrite.anyIn(view, bytes, scan, strict);
        if (!(self instanceof PoolDecision.Accepted) && !sites) {
            return null;
        }
        if (self.poolsAllocations()) {
            // Before the rewrite: the class's own sites (a factory method of its own, say) may rely on it. The
            // members were generated once already when the decision was made, so adding them cannot fail now.
            catalog.pooledMembersAdded(className);
        }
        // A class that may say `new @Pooled T()` (it mentions @Pooled and has type annotations), or that such a site
        // asked for, depends on other classes' sites as well as on decisions; `new @Pooled byte[n]` depends on none.
        RewritePlan plan = new RewritePlan(className, bytes, self, view, view.hierarchy(), sites, strict,
                this.numbers, scan, requested || (sites && SitesToRewrite.mayPoolObjectSites(bytes, scan)));
        // cache | emit: a pooled class without sites takes the members generated when it was decided
        ClassRewriter.Result result = sites ? null : stages.trials().take(view, className, bytes, self, strict);
        if (result == null) {
            result = emit(plan);
        }
        // report
        listener.onRewritten(className, result);
        if (!(self instanceof PoolDecision.Accepted) && result.sites().isEmpty() && !strict) {
            return null; // nothing changed after all: keep the original bytes, frames and all
        }
        dump(className, result.bytes());
        return result.bytes();
    }

    private ClassRewriter.Result emit(RewritePlan plan) throws Exception {
        try {
            return stages.emitter().emit(plan);
        } catch (Exception | LinkageError e) {
            if (!(plan.self instanceof PoolDecision.Accepted) || !plan.sites) {
                throw e;
            }
            // The class is pooled and other classes' sites already call its factories: it must get them even if
            // its own allocation sites cannot be rewritten.
            listener.onSitesNotRewritten(plan.className, e);
            return stages.emitter().emit(plan.withoutSites());
        }
    }

    /** Makes a class loader that overrides {@code loadClass} answer {@code dev.shelf.*} with the agent's runtime. */
    private byte @Nullable [] hookLoader(String className, ClassLoader loader, byte[] bytes, byte @Nullable [] out) {
        try {
            byte[] hooked = LoaderHook.hook(bytes, loader);
            if (hooked != null) {
                listener.onLoaderHooked(className);
                return hooked;
            }
        } catch (Throwable t) {
            listener.onLoaderNotHooked(className, t);
        }
        return out;
    }

    /** {@code shelf.dump.dir}: every rewritten class file, for {@code javap -c -p} and bug reports. */
    private void dump(String className, byte[] bytes) {
        if (config.dumpDir() == null) {
            return;
        }
        java.nio.file.Path file = config.dumpDir().resolve(className + ".class");
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.write(file, bytes);
        } catch (java.io.IOException | RuntimeException e) {
            listener.onDumpFailed(config.dumpDir(), e);
        }
    }
}
