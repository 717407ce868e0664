package dev.shelf.agent;

import dev.shelf.agent.cache.RewriteCache;
import dev.shelf.agent.classfile.ClassFileScan;
import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.decide.PoolCatalog;
import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.emit.ClassRewriter;
import dev.shelf.agent.loaders.LoaderHook;
import dev.shelf.agent.loaders.ModuleReads;
import dev.shelf.agent.plan.SiteNumbers;
import dev.shelf.agent.report.ShelfLog;

import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.TypeReference;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * The class file transformer the agent installs: decides whether a class needs Shelf at all, and if so rewrites
 * it, falling back to the original bytes — with one warning — whenever anything goes wrong.
 *
 * <p>Most classes need nothing: they neither are {@code @Pooled} nor allocate a {@code @Pooled} class. They are
 * recognised by one pass over their constant pool ({@link ClassFileScan}) and returned untouched ({@code null}),
 * which the JVM treats as "unchanged". Two more jobs for real deployments: class loaders that override
 * {@code loadClass} are made to answer the runtime's names with the agent's copy ({@link LoaderHook}), and named
 * modules whose classes use the runtime are made to read it ({@link ModuleReads}).
 */
public final class ShelfTransformer implements ClassFileTransformer {

    private final ShelfConfig config;
    private final PoolCatalog catalog;
    private final ClassLoader platform = ClassLoader.getPlatformClassLoader();
    private final boolean strict;
    private volatile ModuleReads moduleReads;
    /** Numbers sites; {@link SiteReverter} answers {@link SiteNumbers#LEAVE} for sites turned back to plain new. */
    private volatile SiteNumbers numbers = SiteNumbers.RUNTIME;

    /**
     * @param config  the validated configuration
     * @param catalog where pooling decisions come from
     */
    public ShelfTransformer(ShelfConfig config, PoolCatalog catalog) {
        this(config, catalog, false);
    }

    /**
     * @param config  the validated configuration
     * @param catalog where pooling decisions come from (made for the same mode)
     * @param strict  strict mode: every use of a pooled object is checked
     */
    public ShelfTransformer(ShelfConfig config, PoolCatalog catalog, boolean strict) {
        this.config = config;
        this.catalog = catalog;
        this.strict = strict;
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
    void siteNumbers(SiteNumbers numbers) {
        this.numbers = numbers;
    }

    /**
     * @param loader    a class loader
     * @param className internal name of a class it defines
     * @param bytes     its class file
     * @return whether the class is pooled, as decided when it loaded
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
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] bytes) {
        return transformIn(module, loader, className, classBeingRedefined, bytes);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] bytes) {
        return transformIn(null, loader, className, classBeingRedefined, bytes);
    }

    /*
     * Cheapest checks first: this runs for every class the JVM loads, most of it in the interpreter. JDK and Shelf
     * classes are recognised by name; for the rest, one pass over the constant pool (ClassFileScan) tells whether
     * there is anything to do at all, before any parser or string is made.
     */
    private byte[] transformIn(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                               byte[] bytes) {
        if (className == null || classBeingRedefined != null || ShelfNames.isPlatformOrShelf(className)) {
            return null;
        }
        boolean promised = catalog.loaded(className);
        ClassFileScan scan = ClassFileScan.of(bytes);
        byte[] out = null;
        try {
            if (promised || (loader != null && loader != platform && mayNeedRewrite(scan)
                    && config.inScope(className))) {
                out = rewrite(catalog.view(loader), className, bytes, promised, scan);
            }
        } catch (Throwable t) {
            ShelfLog.warnOnce(className, "could not rewrite " + className.replace('/', '.') + " (" + t
                    + "); it is loaded unchanged and its allocations are not pooled");
        }
        // A class file whose constant pool does not parse was reported above: the JVM will refuse it anyway.
        if (loader != null && loader != platform && scan != null && scan.mayDeclareLoadClass) {
            try {
                byte[] hooked = LoaderHook.hook(out != null ? out : bytes, loader);
                if (hooked != null) {
                    out = hooked;
                    ShelfLog.explain("class loader " + className.replace('/', '.') + " answers dev.shelf.* with "
                            + "the agent's pool runtime");
                }
            } catch (Throwable t) {
                ShelfLog.warnOnce("loader:" + className, "could not make class loader " + className.replace('/', '.')
                        + " use the agent's pool runtime (" + t + "); classes it loads itself may see another copy "
                        + "of dev.shelf.* and not be pooled");
            }
        }
        if (moduleReads != null && module != null && (out != null || scan == null || scan.namesRuntime)) {
            moduleReads.ensure(module, className);
        }
        return out;
    }

    /** Whether the scan leaves any chance that the class is pooled or has a site to rewrite. */
    private boolean mayNeedRewrite(ClassFileScan scan) {
        return scan == null || strict || scan.mentionsPooled || scan.constructsOutsidePlatform();
    }

    private byte[] rewrite(PoolCatalog.LoaderView view, String className, byte[] bytes, boolean promised,
                           ClassFileScan scan) throws Exception {
        PoolDecision self = scan != null && !scan.mentionsPooled && !promised ? PoolDecision.NOT_POOLED
                : view.decide(className, bytes);
        boolean requested = promised && self instanceof PoolDecision.NotPooled;
        if (requested) {
            self = view.decideRequested(className, bytes); // a `new @Pooled T()` site asked for this class
        }
        boolean sites = allocatesPooled(view, bytes, scan, strict);
        if (!(self instanceof PoolDecision.Accepted) && !sites) {
            return null;
        }
        if (self.poolsAllocations()) {
            // Before the rewrite: the class's own sites (a factory method of its own, say) may rely on it. The
            // members were generated once already when the decision was made, so adding them cannot fail now.
            catalog.pooledMembersAdded(className);
        }
        ClassRewriter.Result result = sites ? null : view.takeTrial(className, bytes, self, strict);
        // A class with sites may have been rewritten the same way in an earlier run. Not one that may say
        // `new @Pooled T()` (it mentions @Pooled and has type annotations) or that such a site asked for: those
        // decisions depend on other classes' sites.
        RewriteCache cache = catalog.cache();
        String decisionsKey = null;
        SiteNumbers numbers = this.numbers;
        if (result == null && cache != null && sites && !requested && !strict && scan != null
                && !numbers.leavesAny()
                && !(scan.mentionsPooled && scan.hasTypeAnnotations)) {
            decisionsKey = RewriteCache.decisionsKey(self, scan.referencedOwners(false), view);
            result = cache.sites(className, bytes, decisionsKey, view, SiteNumbers.RUNTIME);
            if (result != null) {
                ShelfLog.explain(className.replace('/', '.') + ": rewritten form taken from shelf.cache.dir");
                decisionsKey = null; // nothing new to keep
            }
        }
        try {
            if (result == null) {
                int lookups = view.typeLookups();
                result = ClassRewriter.rewrite(bytes, self, view, view.hierarchy(), sites, strict, numbers);
                if (decisionsKey != null && view.typeLookups() == lookups) {
                    keep(cache, className, bytes, decisionsKey, result);
                }
            }
        } catch (Exception | LinkageError e) {
            if (!(self instanceof PoolDecision.Accepted) || !sites) {
                throw e;
            }
            // The class is pooled and other classes' sites already call its factories: it must get them even if
            // its own allocation sites cannot be rewritten.
            ShelfLog.warnOnce(className, "could not rewrite the allocation sites in " + className.replace('/', '.')
                    + " (" + e + "); they allocate as usual");
            result = ClassRewriter.rewrite(bytes, self, view, view.hierarchy(), false, strict, numbers);
        }
        explain(className, result);
        if (!(self instanceof PoolDecision.Accepted) && result.sites().isEmpty() && !strict) {
            return null; // nothing changed after all: keep the original bytes, frames and all
        }
        dump(className, result.bytes());
        return result.bytes();
    }

    /** {@code shelf.cache.dir}: a rewritten class, for the next start. */
    private void keep(RewriteCache cache, String className, byte[] original, String decisionsKey,
                      ClassRewriter.Result result) {
        try {
            cache.storeSites(className, original, decisionsKey, result);
        } catch (java.io.IOException | RuntimeException e) {
            catalog.cacheNotWritten(e);
        }
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
            ShelfLog.warnOnce("dump:" + config.dumpDir(), "cannot write rewritten classes to shelf.dump.dir "
                    + config.dumpDir() + " (" + e + "); classes are still rewritten, just not written out");
        }
    }

    private static void explain(String className, ClassRewriter.Result result) {
        String dotted = className.replace('/', '.');
        for (String skipped : result.skipped()) {
            ShelfLog.warnOnce(dotted + ":" + skipped, "in " + dotted + ", new " + skipped + "; that site allocates "
                    + "as usual");
        }
        if (ShelfLog.explaining()) {
            for (String field : result.ownership()) {
                ShelfLog.explain("  " + dotted + "." + field);
            }
            for (ClassRewriter.MethodSites m : result.sites()) {
                StringBuilder line = new StringBuilder("rewrote ").append(dotted).append('.').append(m.method())
                        .append(':');
                m.sites().forEach(s -> line.append(" new ").append(s.type().replace('/', '.')).append(" (line ")
                        .append(s.line()).append(s.scoped() ? ", released at method exit)" : ")"));
                ShelfLog.explain(line.toString());
            }
        }
    }

    /**
     * Whether any site of the class may need rewriting: it constructs a pooled class (read from the constant pool,
     * see {@link ClassFileScan}), or it may say {@code new @Pooled T()} (the class file mentions {@code Pooled}),
     * or — in strict mode — it touches a field of a pooled class.
     */
    private static boolean allocatesPooled(PoolCatalog.LoaderView view, byte[] bytes, ClassFileScan scan,
                                           boolean strict) {
        if (scan == null) {
            scan = ClassFileScan.of(bytes);
            if (scan == null) {
                throw new IllegalArgumentException("malformed class file: its constant pool does not parse");
            }
        }
        for (String owner : scan.referencedOwners(strict)) {
            if (ShelfNames.isPlatformOrShelf(owner)) {
                continue;
            }
            PoolDecision d = view.decide(owner);
            if (d.poolsAllocations() || (strict && d instanceof PoolDecision.Accepted)) {
                return true;
            }
        }
        return scan.mentionsPooled && scan.hasTypeAnnotations && PooledNewFinder.hasPooledNew(new ClassReader(bytes));
    }

    /**
     * The rare slow path: parse the code for a {@code new @Pooled T()} type annotation. A class of its own so that
     * ASM's visitor classes are loaded (and verified) when a class first needs it, not with the transformer in
     * {@code premain}.
     */
    private static final class PooledNewFinder {

        private PooledNewFinder() {
        }

        static boolean hasPooledNew(ClassReader reader) {
            boolean[] found = {false};
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    return found[0] ? null : new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public AnnotationVisitor visitInsnAnnotation(int typeRef, TypePath typePath,
                                                                     String descriptor, boolean visible) {
                            if (descriptor.equals(ShelfNames.POOLED_DESC)
                                    && new TypeReference(typeRef).getSort() == TypeReference.NEW) {
                                found[0] = true;
                            }
                            return null;
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return found[0];
        }
    }
}
