package dev.shelf.agent.decide;

import dev.shelf.agent.classfile.ClassPathFiles;
import dev.shelf.agent.classfile.LoaderClassFiles;
import dev.shelf.agent.config.ShelfConfig;
import dev.shelf.agent.report.ShelfLog;

import net.bytebuddy.dynamic.ClassFileLocator;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Decides, per class loader, which classes are pooled — from class files, without loading anything.
 *
 * <p>A site in class {@code C} that says {@code new T()} is rewritten before {@code T} is loaded, so "is {@code T}
 * pooled?" has to be answered from {@code T}'s class file, found through {@code C}'s class loader
 * ({@link LoaderClassFiles}). Each loader has its {@link LoaderDecisions}, held weakly so that an undeployed
 * application's loader can be collected; all of them share one {@link PromiseLedger}, since a promise is about a
 * class name whatever loader asked.
 */
public final class PoolCatalog {

    private final ShelfConfig config;
    private final MembersTrial trial;
    private final PromiseLedger ledger = new PromiseLedger();
    private final Map<ClassLoader, LoaderDecisions> views = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param config which packages are in scope
     * @param trial  generates a pooled class's members once before it is accepted (and may keep decisions across
     *               runs)
     */
    public PoolCatalog(ShelfConfig config, MembersTrial trial) {
        this.config = config;
        this.trial = trial;
    }

    /**
     * The decisions and superclass chains of one class loader.
     *
     * @param loader a class loader (not the bootstrap loader, whose classes Shelf never touches)
     * @return its view, created on first use
     */
    public LoaderDecisions view(ClassLoader loader) {
        synchronized (views) { // no computeIfAbsent lambda: linking it costs a generated class at start-up
            LoaderDecisions view = views.get(loader);
            if (view == null) {
                view = new LoaderDecisions(new LoaderClassFiles(loader),
                        ClassPathFiles.isApplicationLoader(loader) ? ClassPathFiles.ofApplication() : null, config,
                        ledger, trial);
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
    public LoaderDecisions view(ClassFileLocator locator) {
        return new LoaderDecisions(locator, null, config, ledger, trial);
    }

    /**
     * A view whose decisions may come from a class path read directly, as the application class loader's do.
     *
     * @param locator   where class files come from
     * @param classPath the class path read directly
     * @return a fresh view with its own caches
     */
    public LoaderDecisions view(ClassFileLocator locator, ClassPathFiles classPath) {
        return new LoaderDecisions(locator, classPath, config, ledger, trial);
    }

    /** Returns the promises rewritten sites rely on. */
    public PromiseLedger ledger() {
        return ledger;
    }

    /**
     * Records that a class is being loaded now ({@link PromiseLedger#loaded}).
     *
     * @param internalName the class
     * @return whether a rewritten site relies on it: it must then get its pooled members
     */
    public boolean loaded(String internalName) {
        return ledger.loaded(internalName);
    }

    /**
     * Records that a class was given its pooled members ({@link PromiseLedger#pooledMembersAdded}).
     *
     * @param internalName the class
     */
    public void pooledMembersAdded(String internalName) {
        ledger.pooledMembersAdded(internalName);
    }

    /** Says what was decided about an annotated class: once, when it is first decided. */
    static void report(String className, PoolDecision decision) {
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
}
