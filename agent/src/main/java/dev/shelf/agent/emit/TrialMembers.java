package dev.shelf.agent.emit;

import dev.shelf.agent.decide.Decisions;
import dev.shelf.agent.decide.LoaderDecisions;
import dev.shelf.agent.decide.MembersTrial;
import dev.shelf.agent.decide.PoolDecision;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The trial generation deciding asks for, kept for the class's own load: deciding generates a pooled class's members
 * once (a class whose constructors cannot be re-initialisers is refused before any site calls its factories), and the
 * class's own load usually follows soon after and takes them ({@link #take}) instead of generating them a second
 * time. Generating a pooled class is the most expensive rewrite there is, and the first one runs in the interpreter.
 */
public final class TrialMembers implements MembersTrial {

    private final boolean strict;
    /** Per loader's decisions (held weakly, as the catalog holds them), per class: the trial not taken yet. */
    private final Map<LoaderDecisions, Map<String, Trial>> trials = Collections.synchronizedMap(new WeakHashMap<>());

    /** @param strict whether classes are rewritten for strict mode (the trial generation must match) */
    public TrialMembers(boolean strict) {
        this.strict = strict;
    }

    /** Nothing is kept across runs here; the cache stage decorates this. */
    @Override
    public PoolDecision.@Nullable Accepted kept(LoaderDecisions view, String internalName, byte[] bytes) {
        return null;
    }

    @Override
    public @Nullable String generate(LoaderDecisions view, String internalName, byte[] bytes, PoolDecision.Accepted plan,
                           @Nullable PoolDecision parent, boolean keepable) {
        try {
            remember(view, internalName, bytes, plan,
                    ClassRewriter.rewrite(bytes, plan, Decisions.NONE, view.hierarchy(), false, strict));
            return null;
        } catch (Exception | LinkageError e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /**
     * Keeps the members a class got when it was decided, for its load.
     *
     * @param view         the loader's decisions
     * @param internalName the class
     * @param bytes        the class file they were generated from
     * @param plan         the decision they were generated for
     * @param result       the class with its members
     */
    public void remember(LoaderDecisions view, String internalName, byte[] bytes, PoolDecision.Accepted plan,
                         ClassRewriter.Result result) {
        Map<String, Trial> ofView;
        synchronized (trials) { // no computeIfAbsent lambda: linking it costs a generated class at start-up
            ofView = trials.get(view);
            if (ofView == null) {
                ofView = new ConcurrentHashMap<>();
                trials.put(view, ofView);
            }
        }
        ofView.put(internalName, new Trial(bytes, plan, strict, result));
    }

    /**
     * The class with its members, as generated when it was decided, not taken yet.
     *
     * @param view         the loader's decisions
     * @param internalName the class
     * @return its trial result, or {@code null}
     */
    public ClassRewriter.@Nullable Result peek(LoaderDecisions view, String internalName) {
        Map<String, Trial> ofView = trials.get(view);
        Trial t = ofView == null ? null : ofView.get(internalName);
        return t == null ? null : t.result;
    }

    /**
     * The pooled members generated when {@code internalName} was decided, if the class now loads with the same
     * bytes and needs nothing else (no allocation sites of its own to rewrite): then its load takes them as they
     * are. Taken once; a class loads once per loader.
     *
     * @param view         the loader's decisions
     * @param internalName the class being loaded
     * @param bytes        its class file as the JVM hands it over
     * @param plan         the decision it is loaded under
     * @param strict       whether it is loaded in strict mode
     * @return the trial's result, or {@code null} when it must be generated afresh
     */
    public ClassRewriter.@Nullable Result take(LoaderDecisions view, String internalName, byte[] bytes, PoolDecision plan,
                                     boolean strict) {
        Map<String, Trial> ofView = trials.get(view);
        Trial t = ofView == null ? null : ofView.remove(internalName);
        // The very decision object (decisions are cached), compared by identity: a record's equals() is linked
        // through invokedynamic on first use, which costs ~40 generated classes at start-up.
        return t != null && t.strict == strict && t.plan == plan && Arrays.equals(t.input, bytes) ? t.result : null;
    }

    /** A trial generation: the class file it read, the decision and mode it was made for, and what it produced. */
    private static final class Trial {

        final byte[] input;
        final PoolDecision plan;
        final boolean strict;
        final ClassRewriter.Result result;

        Trial(byte[] input, PoolDecision plan, boolean strict, ClassRewriter.Result result) {
            this.input = input;
            this.plan = plan;
            this.strict = strict;
            this.result = result;
        }
    }
}
