package dev.shelf.corpus;

/**
 * Sites whose argument code jumps: paired by data-flow analysis, so the agent rewrites this class with ASM and
 * computes its frames (unlike {@link Sites}, which it patches in place).
 */
public final class BranchySites {

    private BranchySites() {
    }

    /** Pooled allocations in both branches of a ternary inside arguments. */
    public static Holder ternary(boolean which) {
        return new Holder(which ? new Primitives() : new Counting(), which ? null : new InitBlocks());
    }
}
