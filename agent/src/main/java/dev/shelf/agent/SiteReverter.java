package dev.shelf.agent;

import dev.shelf.agent.decide.PoolDecision;
import dev.shelf.agent.plan.SiteNumbers;
import dev.shelf.agent.report.ShelfLog;
import dev.shelf.internal.observe.SiteWatch;

import java.io.InputStream;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Turns allocation sites whose objects never come back into plain {@code new} again, at run time.
 *
 * <p>A site that acquires and never releases pays the pool's lookup and a re-initialiser on every {@code new}, and it
 * loses what the JVM gives plain allocation: a TLAB bump, and escape analysis, which may not allocate a non-escaping
 * object at all. Once {@link SiteWatch} has seen such a site acquire {@code shelf.sites.revertAfter} objects with
 * none released, this class
 * <ol>
 *   <li>marks the site {@linkplain SiteNumbers#LEAVE left alone}, so that every rewrite from now on, of any class
 *       loader's copy, leaves it a plain {@code new};</li>
 *   <li>rewrites each loaded class that holds it from its original class file, as the transformer would now, and
 *       redefines the class with that: only method bodies change, which redefinition allows; running frames finish
 *       in the old code, every later call runs the new one, and the JIT compiles it afresh;</li>
 *   <li>says so once, and the exit report says so next to the site's "nothing comes back" advice.</li>
 * </ol>
 * Sites inside a pooled class itself are left pooled: redefining a class whose members the agent generated is not
 * worth its risk. Anything that fails leaves the class as it was, with one warning.
 */
final class SiteReverter implements SiteNumbers, SiteWatch.Listener {

    private final Instrumentation inst;
    private final ShelfTransformer transformer;
    /** {@code pooledClass internal name + "#" + site}. */
    private final Set<String> left = ConcurrentHashMap.newKeySet();

    SiteReverter(Instrumentation inst, ShelfTransformer transformer) {
        this.inst = inst;
        this.transformer = transformer;
    }

    @Override
    public int number(String pooledClass, String site) {
        return !left.isEmpty() && left.contains(pooledClass.replace('.', '/') + "#" + site) ? LEAVE
                : SiteNumbers.RUNTIME.number(pooledClass, site);
    }

    @Override
    public boolean leavesAny() {
        return !left.isEmpty();
    }

    @Override
    public @Nullable String nothingComesBack(String pooledClass, String site, long acquired) {
        String owner = ownerOf(site);
        if (owner == null) {
            return null;
        }
        // A pool of arrays is named by type and length (byte[65536]); its sites are numbered under the array type
        // (byte[]), and turning a site back serves every length it makes. A class's binary name has no '['.
        left.add(pooledClass.replaceFirst("\\[\\d+\\]", "[]").replace('.', '/') + "#" + site);
        List<String> problems = new ArrayList<>();
        int redefined = 0;
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!c.getName().equals(owner) || c.getClassLoader() == null) {
                continue;
            }
            String problem = redefine(c);
            if (problem == null) {
                redefined++;
            } else {
                problems.add(problem);
            }
        }
        String where = "site " + site + " (new " + pooledClass + ")";
        if (redefined > 0 && problems.isEmpty()) {
            ShelfLog.info(where + " turned back into a plain new: it acquired " + acquired + " objects and released "
                    + "none, so pooling only cost there (shelf.sites.revertAfter)");
            return "turned back into a plain new at run time after " + acquired + " acquisitions";
        }
        String why = problems.isEmpty() ? "its class is not loaded" : String.join("; ", problems);
        ShelfLog.warnOnce("revert:" + pooledClass + "#" + site, where + " acquired " + acquired + " objects and "
                + "released none, but could not be turned back into a plain new: " + why);
        return "could not be turned back into a plain new: " + why;
    }

    /** Redefines one loaded copy of a class from its original bytes, as the transformer rewrites them now. */
    private @Nullable String redefine(Class<?> c) {
        String internal = c.getName().replace('.', '/');
        ClassLoader loader = c.getClassLoader();
        try {
            if (!inst.isModifiableClass(c) || !inst.isRedefineClassesSupported()) {
                return "the JVM does not let the agent redefine " + c.getName();
            }
            byte[] original;
            try (InputStream in = loader.getResourceAsStream(internal + ".class")) {
                if (in == null) {
                    return "the class file of " + c.getName() + " cannot be found through its class loader";
                }
                original = in.readAllBytes();
            }
            PoolDecision self = transformer.decide(loader, internal, original);
            if (self instanceof PoolDecision.Accepted) {
                return "the site is in the pooled class " + c.getName() + " itself, which stays as it is";
            }
            inst.redefineClasses(new ClassDefinition(c, transformer.rewriteAgain(loader, internal, original)));
            return null;
        } catch (Exception | LinkageError e) {
            return "redefining " + c.getName() + " failed (" + e + ")";
        }
    }

    /** {@code com.acme.Handler.handle:42} to {@code com.acme.Handler}. */
    static @Nullable String ownerOf(String site) {
        int colon = site.lastIndexOf(':');
        int dot = colon < 0 ? -1 : site.lastIndexOf('.', colon);
        return dot <= 0 ? null : site.substring(0, dot);
    }
}
