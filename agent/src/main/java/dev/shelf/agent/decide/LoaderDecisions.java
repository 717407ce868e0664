package dev.shelf.agent.decide;

import dev.shelf.agent.classfile.ClassHierarchy;
import dev.shelf.agent.classfile.ClassPathFiles;
import dev.shelf.agent.classfile.ShelfNames;
import dev.shelf.agent.config.ShelfConfig;

import net.bytebuddy.dynamic.ClassFileLocator;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Decisions for the classes one class loader sees, from class files located through it, without loading anything.
 * Cached per class; {@link PoolCatalog} keeps one per loader.
 */
public final class LoaderDecisions implements Decisions {

    private final ClassFileLocator locator;
    private final ClassHierarchy hierarchy;
    private final Map<String, PoolDecision> decisions = new ConcurrentHashMap<>();
    private final Map<String, PoolDecision> siteDecisions = new ConcurrentHashMap<>();
    private final ShelfConfig config;
    private final PromiseLedger ledger;
    private final MembersTrial trial;

    /**
     * For the JDK's application class loader: its class path, read directly, which may tell that a class is not
     * pooled without asking the loader ({@link ClassPathFiles}); {@code null} for any other loader.
     */
    private final @Nullable ClassPathFiles classPath;

    LoaderDecisions(ClassFileLocator locator, @Nullable ClassPathFiles classPath, ShelfConfig config, PromiseLedger ledger,
                    MembersTrial trial) {
        this.locator = locator;
        this.hierarchy = new ClassHierarchy(locator);
        this.classPath = classPath;
        this.config = config;
        this.ledger = ledger;
        this.trial = trial;
    }

    /** Returns the superclass chains frame computation reads. */
    public ClassHierarchy hierarchy() {
        return hierarchy;
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
        PoolCatalog.report(internalName.replace('/', '.'), decision);
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
        return ledger.promise(internalName);
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
     * A class file as this loader finds it.
     *
     * @param internalName the class
     * @return its bytes, or {@code null} when the loader has none
     */
    public byte @Nullable [] locate(String internalName) {
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
        if (!requestedBySite && config.inScope(internalName)) {
            PoolDecision.Accepted kept = trial.kept(this, internalName, bytes);
            if (kept != null) {
                return kept; // decided in an earlier run from these very bytes: no ASM at all on this path
            }
        }
        ClassNode cls = new ClassNode(Opcodes.ASM9);
        new ClassReader(bytes).accept(cls, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
        AnnotationNode pooled = ShapeRules.pooledAnnotation(cls);
        if (pooled == null && !requestedBySite) {
            return PoolDecision.NOT_POOLED;
        }
        if (pooled == null) {
            pooled = new AnnotationNode(ShelfNames.POOLED_DESC);
        }
        if (!config.inScope(internalName)) {
            return new PoolDecision.Refused("its package is outside shelf.include/shelf.exclude", true);
        }
        String shape = ShapeRules.shapeProblem(cls);
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
        int maxPerThread = ShapeRules.annotatedInt(pooled, "maxPerThread", 0);
        if (maxPerThread < 0 || maxPerThread > ShelfConfig.MAX_CAPACITY) {
            return new PoolDecision.Refused("@Pooled(maxPerThread = " + maxPerThread + ") is not accepted; "
                    + "expected 0 (the configured default) or 1 to " + ShelfConfig.MAX_CAPACITY, false);
        }
        int maxShared = ShapeRules.annotatedInt(pooled, "maxShared", -1);
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
                ShapeRules.methodScoped(pooled));
        // Kept for the next run only when the decision came from these bytes alone, or these and the pooled
        // superclass's decision (kept with them): not when a stateless superclass's bytes were read.
        boolean keepable = !requestedBySite && (superPooled || cls.superName.equals("java/lang/Object"));
        String failed = trial.generate(this, internalName, bytes, plan, superPooled ? decide(cls.superName) : null,
                keepable);
        if (failed != null) {
            return new PoolDecision.Refused("its constructors could not be turned into re-initialisers: " + failed,
                    false);
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
