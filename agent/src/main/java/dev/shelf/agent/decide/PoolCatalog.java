package dev.shelf.agent.decide;

import dev.shelf.agent.cache.RewriteCache;
import dev.shelf.agent.classfile.ClassHierarchy;
import dev.shelf.agent.classfile.ClassPathFiles;
import dev.shelf.agent.classfile.LoaderClassFiles;
import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.emit.ClassRewriter;
import dev.shelf.agent.report.ShelfLog;

import net.bytebuddy.dynamic.ClassFileLocator;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides, per class loader, which classes are pooled — from class files, without loading anything.
 *
 * <p>A site in class {@code C} that says {@code new T()} is rewritten before {@code T} is loaded, so "is {@code T}
 * pooled?" has to be answered from {@code T}'s class file, found through {@code C}'s class loader
 * ({@link LoaderClassFiles}). Decisions are cached per loader, and loaders are held weakly so that an undeployed
 * application's loader can be collected.
 */
public final class PoolCatalog {

    private final ShelfConfig config;
    private final boolean strict;
    private final RewriteCache cache;
    private final Map<ClassLoader, LoaderView> views = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param config which packages are in scope, for decisions about excluded classes
     */
    public PoolCatalog(ShelfConfig config) {
        this(config, false);
    }

    /**
     * @param config which packages are in scope
     * @param strict whether classes are rewritten for strict mode (the trial generation must match)
     */
    public PoolCatalog(ShelfConfig config, boolean strict) {
        this(config, strict, null);
    }

    /**
     * @param config which packages are in scope
     * @param strict whether classes are rewritten for strict mode (the trial generation must match)
     * @param cache  where pooled classes' decisions and generated members are kept across runs, or {@code null}
     */
    public PoolCatalog(ShelfConfig config, boolean strict, RewriteCache cache) {
        this.config = config;
        this.strict = strict;
        this.cache = cache;
    }

    /** @return the cache of rewritten classes ({@code shelf.cache.dir}), or {@code null} */
    public RewriteCache cache() {
        return cache;
    }

    /**
     * The decisions and superclass chains of one class loader.
     *
     * @param loader a class loader (not the bootstrap loader, whose classes Shelf never touches)
     * @return its view, created on first use
     */
    public LoaderView view(ClassLoader loader) {
        synchronized (views) { // no computeIfAbsent lambda: linking it costs a generated class at start-up
            LoaderView view = views.get(loader);
            if (view == null) {
                view = new LoaderView(new LoaderClassFiles(loader),
                        ClassPathFiles.isApplicationLoader(loader) ? ClassPathFiles.ofApplication() : null);
                views.put(loader, view);
            }
            return view;
        }
    }

    /**
     * A view made over any class file locator; used by tests that rewrite classes without an agent.
     *
     * @param locator where class files come from
     * @return a fresh view with its own caches
     */
    public LoaderView view(ClassFileLocator locator) {
        return new LoaderView(locator, null);
    }

    /**
     * A view whose decisions may come from a class path read directly, as the application class loader's do.
     *
     * @param locator   where class files come from
     * @param classPath the class path read directly
     * @return a fresh view with its own caches
     */
    LoaderView view(ClassFileLocator locator, ClassPathFiles classPath) {
        return new LoaderView(locator, classPath);
    }

    /*
     * A rewritten site calls T.$shelf$new, which exists only if T was transformed when it loaded. These three sets,
     * under one lock, make "site rewritten" imply "T gets (or got) its pooled members": a site may rely on T only if
     * T already has them, or T has not loaded yet — and then T is promised them and gets them when it loads, whatever
     * its class loader or package filters would otherwise say.
     */
    private final java.util.Set<String> loaded = new java.util.HashSet<>();
    private final java.util.Set<String> promised = new java.util.HashSet<>();
    private final java.util.Set<String> withMembers = new java.util.HashSet<>();

    /**
     * Records that a class is being loaded now. Called for every class the transformer sees.
     *
     * @param internalName the class
     * @return whether a rewritten site relies on it: it must then get its pooled members
     */
    public synchronized boolean loaded(String internalName) {
        loaded.add(internalName);
        return promised.contains(internalName);
    }

    /**
     * Records that a class was given its pooled members.
     *
     * @param internalName the class
     */
    public synchronized void pooledMembersAdded(String internalName) {
        withMembers.add(internalName);
    }

    /**
     * Asks whether a site may call a pooled class's factory.
     *
     * @param internalName the class
     * @return {@code true} if the class has or will get its pooled members; {@code false} if it already loaded
     *         without them
     */
    public synchronized boolean promise(String internalName) {
        if (withMembers.contains(internalName)) {
            return true;
        }
        if (loaded.contains(internalName)) {
            return false;
        }
        promised.add(internalName);
        return true;
    }

    /** Decisions for the classes one loader sees. */
    public final class LoaderView implements Decisions {

        private final ClassFileLocator locator;
        private final ClassHierarchy hierarchy;
        private final Map<String, PoolDecision> decisions = new ConcurrentHashMap<>();
        private final Map<String, PoolDecision> siteDecisions = new ConcurrentHashMap<>();
        /**
         * The pooled members each accepted class got when it was decided: deciding generates them once as a trial
         * (a class whose constructors cannot be re-initialisers is refused before any site calls its factories),
         * and the class's own load usually follows soon after and can use them ({@link #takeTrial}). Generating a
         * pooled class is the most expensive rewrite there is, and the first one runs in the interpreter.
         */
        private final Map<String, Trial> trials = new ConcurrentHashMap<>();

        /**
         * For the JDK's application class loader: its class path, read directly, which may tell that a class is not
         * pooled without asking the loader ({@link ClassPathFiles}); {@code null} for any other loader.
         */
        private final ClassPathFiles classPath;

        private LoaderView(ClassFileLocator locator, ClassPathFiles classPath) {
            this.locator = locator;
            this.hierarchy = new ClassHierarchy(locator);
            this.classPath = classPath;
        }

        /** @return the superclass chains frame computation reads */
        public ClassHierarchy hierarchy() {
            return hierarchy;
        }

        /** @return how many application types frame computation looked up so far ({@link ClassHierarchy#lookups()}) */
        public int typeLookups() {
            return hierarchy.lookups();
        }

        /**
         * Decides about a class whose bytes are located through this view's loader.
         *
         * @param internalName the class, with slashes
         * @return the decision (cached)
         */
        @Override
        public PoolDecision decide(String internalName) {
            PoolDecision known = decisions.get(internalName);
            if (known != null) {
                return known;
            }
            if (ShelfNames.isPlatformOrShelf(internalName)) {
                return PoolDecision.NOT_POOLED;
            }
            if (notPooledOnClassPath(internalName)) {
                return remember(internalName, PoolDecision.NOT_POOLED);
            }
            byte[] bytes = locate(internalName);
            return remember(internalName, bytes == null ? PoolDecision.NOT_POOLED : analyze(internalName, bytes));
        }

        /**
         * Whether the class path, read directly, already says that a class is not pooled: its file there does not
         * mention {@code @Pooled}. The only answer taken from it ({@link ClassPathFiles}).
         */
        private boolean notPooledOnClassPath(String internalName) {
            if (classPath == null) {
                return false;
            }
            try {
                byte[] bytes = classPath.find(internalName);
                return bytes != null && !ShelfNames.mentionsPooled(bytes);
            } catch (IOException | RuntimeException e) {
                return false; // the loader will say
            }
        }

        /**
         * Decides about a class whose bytes are at hand (the class being transformed).
         *
         * @param internalName the class, with slashes
         * @param bytes        its class file
         * @return the decision (cached)
         */
        public PoolDecision decide(String internalName, byte[] bytes) {
            PoolDecision known = decisions.get(internalName);
            if (known != null) {
                return known;
            }
            if (ShelfNames.isPlatformOrShelf(internalName)) {
                return PoolDecision.NOT_POOLED;
            }
            return remember(internalName, analyze(internalName, bytes));
        }

        private PoolDecision remember(String internalName, PoolDecision decision) {
            PoolDecision raced = decisions.putIfAbsent(internalName, decision);
            if (raced != null) {
                return raced;
            }
            report(internalName.replace('/', '.'), decision);
            return decision;
        }

        /**
         * Decides about a class that a site asked to pool with {@code new @Pooled T()}, annotated or not.
         *
         * <p>An unannotated class can be pooled for such a site only if it has not been loaded yet: its pooled
         * members are added when it loads, and a loaded class cannot gain methods ({@link #promise}).
         *
         * @param internalName the allocated class
         * @return the decision for that site
         */
        @Override
        public boolean promise(String internalName) {
            return PoolCatalog.this.promise(internalName);
        }

        @Override
        public PoolDecision decideForSite(String internalName) {
            PoolDecision byClass = decide(internalName);
            if (!(byClass instanceof PoolDecision.NotPooled)) {
                return byClass;
            }
            PoolDecision known = siteDecisions.get(internalName);
            if (known != null) {
                return known;
            }
            PoolDecision d;
            if (ShelfNames.isPlatformOrShelf(internalName)) {
                d = new PoolDecision.Refused("it is a JDK or Shelf class, which the agent never transforms", false);
            } else {
                byte[] bytes = locate(internalName);
                d = bytes == null ? new PoolDecision.Refused("its class file cannot be found", false)
                        : analyze(internalName, bytes, true);
            }
            PoolDecision raced = siteDecisions.putIfAbsent(internalName, d);
            return raced != null ? raced : d;
        }

        /**
         * The decision for a class being loaded that some site asked to pool although it is not annotated.
         *
         * @param internalName the class
         * @param bytes        its class file
         * @return its site decision
         */
        public PoolDecision decideRequested(String internalName, byte[] bytes) {
            PoolDecision known = siteDecisions.get(internalName);
            return known != null ? known : analyze(internalName, bytes, true);
        }

        /**
         * The pooled members generated when {@code internalName} was decided, if the class now loads with the same
         * bytes and needs nothing else (no allocation sites of its own to rewrite): then its load takes them as they
         * are instead of generating them a second time. Taken once; a class loads once per loader.
         *
         * @param internalName the class being loaded
         * @param bytes        its class file as the JVM hands it over
         * @param plan         the decision it is loaded under
         * @param strict       whether it is loaded in strict mode
         * @return the trial's result, or {@code null} when it must be generated afresh
         */
        public ClassRewriter.Result takeTrial(String internalName, byte[] bytes, PoolDecision plan, boolean strict) {
            Trial t = trials.remove(internalName);
            // The very decision object (decisions are cached), compared by identity: a record's equals() is linked
            // through invokedynamic on first use, which costs ~40 generated classes at start-up.
            return t != null && t.strict == strict && t.plan == plan && java.util.Arrays.equals(t.input, bytes)
                    ? t.result : null;
        }

        private byte[] locate(String internalName) {
            try {
                ClassFileLocator.Resolution r = locator.locate(internalName.replace('/', '.'));
                return r.isResolved() ? r.resolve() : null;
            } catch (IOException e) {
                return null;
            }
        }

        private PoolDecision analyze(String internalName, byte[] bytes) {
            return analyze(internalName, bytes, false);
        }

        private PoolDecision analyze(String internalName, byte[] bytes, boolean requestedBySite) {
            if (!requestedBySite && !ShelfNames.mentionsPooled(bytes)) {
                return PoolDecision.NOT_POOLED;
            }
            if (!requestedBySite && cache != null && config.inScope(internalName)) {
                RewriteCache.Pooled kept = cache.pooled(internalName, bytes, this);
                if (kept != null) {
                    // Decided and generated in an earlier run from these very bytes: no ASM at all on this path.
                    trials.put(internalName, new Trial(bytes, kept.plan(), strict,
                            new ClassRewriter.Result(kept.rewritten(), List.of(), List.of(), null)));
                    ShelfLog.explain(internalName.replace('/', '.') + ": decision and pooled members taken from "
                            + "shelf.cache.dir");
                    return kept.plan();
                }
            }
            ClassNode cls = new ClassNode(Opcodes.ASM9);
            new ClassReader(bytes).accept(cls, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
            AnnotationNode pooled = pooledAnnotation(cls);
            if (pooled == null && !requestedBySite) {
                return PoolDecision.NOT_POOLED;
            }
            if (pooled == null) {
                pooled = new AnnotationNode(ShelfNames.POOLED_DESC);
            }
            if (!config.inScope(internalName)) {
                return new PoolDecision.Refused("its package is outside shelf.include/shelf.exclude", true);
            }
            String shape = shapeProblem(cls);
            if (shape != null) {
                return new PoolDecision.Refused(shape, false);
            }
            boolean superPooled = false;
            if (!cls.superName.equals("java/lang/Object")) {
                PoolDecision parent = decide(cls.superName);
                String superName = cls.superName.replace('/', '.');
                superPooled = parent instanceof PoolDecision.Accepted;
                if (parent instanceof PoolDecision.NotPooled && !statelessWithTrivialConstructor(cls.superName, 0)) {
                    return new PoolDecision.Refused("its superclass " + superName + " is not @Pooled and has state "
                            + "(instance fields, or a constructor that does work), which could not be reset; annotate "
                            + superName + " with @Pooled too, or extend Object", false);
                }
                if (parent instanceof PoolDecision.Refused r) {
                    return new PoolDecision.Refused("its superclass " + superName + " cannot be pooled (" + r.reason()
                            + ")", false);
                }
            }
            int maxPerThread = annotatedInt(pooled, "maxPerThread", 0);
            if (maxPerThread < 0 || maxPerThread > ShelfConfig.MAX_CAPACITY) {
                return new PoolDecision.Refused("@Pooled(maxPerThread = " + maxPerThread + ") is not accepted; "
                        + "expected 0 (the configured default) or 1 to " + ShelfConfig.MAX_CAPACITY, false);
            }
            int maxShared = annotatedInt(pooled, "maxShared", -1);
            if (maxShared < -1 || maxShared > ShelfConfig.MAX_CAPACITY) {
                return new PoolDecision.Refused("@Pooled(maxShared = " + maxShared + ") is not accepted; "
                        + "expected -1 (the configured default) or 0 to " + ShelfConfig.MAX_CAPACITY, false);
            }
            List<String> ctors = new ArrayList<>();
            for (MethodNode m : cls.methods) {
                if (m.name.equals("<init>")) {
                    ctors.add(m.desc);
                }
            }
            PoolDecision.Accepted plan = new PoolDecision.Accepted(internalName, cls.superName, superPooled,
                    (cls.access & Opcodes.ACC_ABSTRACT) == 0, ctors, maxPerThread, maxShared,
                    methodScoped(pooled));
            ClassRewriter.Result trial;
            int lookupsBefore = hierarchy.lookups();
            try {
                trial = ClassRewriter.rewrite(bytes, plan, Decisions.NONE, hierarchy, false, strict);
                trials.put(internalName, new Trial(bytes, plan, strict, trial));
            } catch (Exception | LinkageError e) {
                return new PoolDecision.Refused("its constructors could not be turned into re-initialisers: "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()), false);
            }
            // Kept only when the decision and the generated members came from these bytes alone, or these and the
            // pooled superclass's decision (kept with them): not when a stateless superclass's bytes were read, nor
            // when an application type was looked up for frames.
            if (cache != null && !requestedBySite && hierarchy.lookups() == lookupsBefore
                    && (superPooled || cls.superName.equals("java/lang/Object"))) {
                keep(plan, superPooled ? RewriteCache.describe(decide(cls.superName)) : "", bytes, trial.bytes());
            }
            return plan;
        }

        /**
         * Whether a class that is not pooled can still be the superclass of a pooled one: no instance fields, and a
         * no-argument constructor that only calls its own superclass's, all the way up to {@code Object}. Then
         * "re-running" its constructor is doing nothing, and nothing of it could carry over from a previous life.
         */
        private boolean statelessWithTrivialConstructor(String internalName, int depth) {
            if (internalName.equals("java/lang/Object")) {
                return true;
            }
            if (depth > 32) {
                return false;
            }
            byte[] bytes = locate(internalName);
            if (bytes == null) {
                return false;
            }
            ClassNode cls = new ClassNode(Opcodes.ASM9);
            new ClassReader(bytes).accept(cls, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            for (var f : cls.fields) {
                if ((f.access & Opcodes.ACC_STATIC) == 0) {
                    return false;
                }
            }
            MethodNode noArg = null;
            for (MethodNode m : cls.methods) {
                if (m.name.equals("<init>") && m.desc.equals("()V")) {
                    noArg = m;
                    break;
                }
            }
            if (noArg == null) {
                return false;
            }
            List<Integer> ops = new ArrayList<>();
            for (var i = noArg.instructions.getFirst(); i != null; i = i.getNext()) {
                if (i.getOpcode() >= 0) {
                    ops.add(i.getOpcode());
                }
            }
            return ops.equals(List.of(Opcodes.ALOAD, Opcodes.INVOKESPECIAL, Opcodes.RETURN))
                    && statelessWithTrivialConstructor(cls.superName, depth + 1);
        }
    }

    private void keep(PoolDecision.Accepted plan, String parentKey, byte[] original, byte[] rewritten) {
        try {
            cache.storePooled(original, plan, parentKey, rewritten);
        } catch (java.io.IOException | RuntimeException e) {
            cacheNotWritten(e);
        }
    }

    /**
     * Says once that an entry could not be written to {@code shelf.cache.dir}; the class is rewritten all the same.
     *
     * @param e what went wrong
     */
    public void cacheNotWritten(Exception e) {
        ShelfLog.warnOnce("cache:" + cache.directory(), "cannot write to shelf.cache.dir " + cache.directory()
                + " (" + e + "); classes are still rewritten, just not kept for the next start");
    }

    private static void report(String className, PoolDecision decision) {
        if (decision instanceof PoolDecision.Accepted a) {
            ShelfLog.explain(className + ": pooled" + (a.instantiable() ? "" : " (abstract: re-initialisers only)")
                    + ", " + a.constructorDescs().size() + " constructor(s); what reuse keeps is said when it loads");
        } else if (decision instanceof PoolDecision.Refused r) {
            String line = className + " is @Pooled but is not pooled: " + r.reason()
                    + "; `new` of it allocates as usual";
            if (r.deliberate()) {
                ShelfLog.explain(line);
            } else {
                ShelfLog.warnOnce(className, line);
            }
        }
    }

    private static String shapeProblem(ClassNode cls) {
        if ((cls.access & Opcodes.ACC_ANNOTATION) != 0 || (cls.access & Opcodes.ACC_INTERFACE) != 0) {
            return "it is an interface; only classes can be pooled";
        }
        if ((cls.access & Opcodes.ACC_ENUM) != 0) {
            return "it is an enum; enum constants are never allocated with new";
        }
        if ("java/lang/Record".equals(cls.superName)) {
            return "it is a record; records are immutable values and cannot be re-initialised";
        }
        if ((cls.version & 0xFFFF) < Opcodes.V1_5) {
            return "its class file is older than Java 5";
        }
        for (FieldNode f : cls.fields) {
            if (f.name.startsWith(ShelfNames.PREFIX)) {
                return "it was already transformed by Shelf";
            }
        }
        for (MethodNode m : cls.methods) {
            if (m.name.startsWith(ShelfNames.PREFIX)) {
                return "it was already transformed by Shelf";
            }
        }
        return null;
    }

    private static AnnotationNode pooledAnnotation(ClassNode cls) {
        for (List<AnnotationNode> list : java.util.Arrays.asList(cls.visibleAnnotations, cls.invisibleAnnotations)) {
            if (list != null) {
                for (AnnotationNode a : list) {
                    if (a.desc.equals(ShelfNames.POOLED_DESC)) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    /** An {@code int} element of {@code @Pooled}, or {@code absent} when the annotation leaves it at its default. */
    private static int annotatedInt(AnnotationNode pooled, String element, int absent) {
        if (pooled.values != null) {
            for (int i = 0; i + 1 < pooled.values.size(); i += 2) {
                if (element.equals(pooled.values.get(i)) && pooled.values.get(i + 1) instanceof Integer n) {
                    return n;
                }
            }
        }
        return absent;
    }

    private static boolean methodScoped(AnnotationNode pooled) {
        if (pooled.values != null) {
            for (int i = 0; i + 1 < pooled.values.size(); i += 2) {
                if ("scope".equals(pooled.values.get(i)) && pooled.values.get(i + 1) instanceof String[] e) {
                    return e.length == 2 && "METHOD".equals(e[1]);
                }
            }
        }
        return false;
    }

    /** A trial generation: the class file it read, the decision and mode it was made for, and what it produced. */
    private record Trial(byte[] input, PoolDecision plan, boolean strict, ClassRewriter.Result result) {
    }
}
