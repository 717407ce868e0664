package dev.shelf.agent.plan;

import dev.shelf.agent.classfile.ClassFileScan;
import dev.shelf.agent.classfile.ClassHierarchy;
import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.PoolDecision;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What is to be done to one class, and what that depends on: the class's own decision, whether its allocation sites
 * are rewritten and how they are numbered, and the classes whose decisions the sites depend on. The emit stage
 * carries it out; the cache stage keys what it keeps by what the plan says it depended on ({@link #keyedByDecisions}).
 */
public final class RewritePlan {

    /** Internal name of the class. */
    public final String className;
    /** Its class file as the JVM hands it over. */
    public final byte[] bytes;
    /** The decision about the class itself. */
    public final PoolDecision self;
    /** Decisions about the classes its sites allocate. */
    public final Decisions decisions;
    /** Superclass chains, for frames the writer computes. */
    public final ClassHierarchy hierarchy;
    /** Whether allocation sites are rewritten (not when only a pooled class's members are wanted). */
    public final boolean sites;
    /** Strict mode: every use of a pooled object is checked. */
    public final boolean strict;
    /** Numbers each rewritten site. */
    public final SiteNumbers numbers;
    /** The class's constant pool as scanned, or {@code null} when it did not parse. */
    private final @Nullable ClassFileScan scan;
    /**
     * Whether the rewrite also depends on other classes' sites: the class may say {@code new @Pooled T()} of an
     * object, or such a site asked for it. Not for {@code new @Pooled byte[n]}: an array site depends on nothing but
     * the class itself, so a class whose only such sites make arrays is kept keyed by decisions like any other.
     */
    public final boolean dependsOnOtherSites;

    /**
     * @param className           internal name of the class
     * @param bytes               its class file
     * @param self                the decision about the class itself
     * @param decisions           decisions about the classes its sites allocate
     * @param hierarchy           superclass chains, for frames
     * @param sites               whether allocation sites are rewritten
     * @param strict              strict mode
     * @param numbers             numbers each rewritten site
     * @param scan                the class's constant pool as scanned, or {@code null} when it did not parse
     * @param dependsOnOtherSites whether the rewrite also depends on other classes' sites
     */
    public RewritePlan(String className, byte[] bytes, PoolDecision self, Decisions decisions,
                       ClassHierarchy hierarchy, boolean sites, boolean strict, SiteNumbers numbers,
                       @Nullable ClassFileScan scan, boolean dependsOnOtherSites) {
        this.className = className;
        this.bytes = bytes;
        this.self = self;
        this.decisions = decisions;
        this.hierarchy = hierarchy;
        this.sites = sites;
        this.strict = strict;
        this.numbers = numbers;
        this.scan = scan;
        this.dependsOnOtherSites = dependsOnOtherSites;
    }

    /**
     * The classes the class constructs, in constant-pool order: its sites depend on their decisions and on nothing
     * else of theirs.
     *
     * @return their internal names, or {@code null} when the constant pool did not parse
     */
    public @Nullable List<String> owners() {
        return scan == null ? null : scan.referencedOwners(false);
    }

    /**
     * Whether the rewritten class is a function of its bytes and the decisions about itself and {@link #owners()}
     * alone, so that it may be kept under those: a class with sites, numbered by the runtime, in normal mode, that
     * depends on no other class's sites.
     *
     * @return whether the rewrite may be kept keyed by decisions
     */
    public boolean keyedByDecisions() {
        return sites && !strict && scan != null && !numbers.leavesAny() && !dependsOnOtherSites;
    }

    /** Returns the same plan with the allocation sites left alone: a pooled class whose sites could not be rewritten. */
    public RewritePlan withoutSites() {
        return new RewritePlan(className, bytes, self, decisions, hierarchy, false, strict, numbers, scan,
                dependsOnOtherSites);
    }
}
