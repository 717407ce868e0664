package dev.shelf.agent.emit;

import java.util.List;

/**
 * The emit strategies, one instance each. A holder of its own: {@link EmitStrategy}'s own initialiser must not create
 * its subclasses, or two threads initialising the superclass and a subclass at once can deadlock (class loading runs
 * transformers on many threads).
 */
public final class EmitStrategies {

    /** Sites found and patched in the bytes alone. */
    public static final EmitStrategy SITES_FROM_BYTES = new SitesFromBytes();
    /** Sites found on the tree and patched in the bytes. */
    public static final EmitStrategy PATCH_IN_PLACE = new PatchInPlace();
    /** Changed methods re-encoded, the others copied. */
    public static final EmitStrategy REPLACE_CHANGED_METHODS = new ReplaceChangedMethods();
    /** The whole class written from its tree. */
    public static final EmitStrategy WRITE_IN_FULL = new WriteInFull();

    /** Every strategy, cheapest first: what the agent uses. */
    public static final List<EmitStrategy> ALL = List.of(SITES_FROM_BYTES, PATCH_IN_PLACE, REPLACE_CHANGED_METHODS,
            WRITE_IN_FULL);

    private EmitStrategies() {
    }
}
