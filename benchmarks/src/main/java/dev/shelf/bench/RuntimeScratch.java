package dev.shelf.bench;

import dev.shelf.internal.ClassShelf;
import dev.shelf.internal.Recyclable;
import dev.shelf.internal.ShelfRegistry;
import dev.shelf.internal.Sites;

import java.util.ArrayList;
import java.util.List;

/**
 * The scratch object pooled through Shelf's runtime directly, exactly as agent-generated code calls it (the pool in a
 * static final field, registered by the static initialiser), but with the same hand-written reset as the other pools.
 * It isolates the pool's cost from the agent's re-initialiser.
 *
 * <p>It implements {@link Recyclable} by hand, as the agent would, so that {@code Shelf.release} takes it, and counts
 * per allocation site as generated code does (its acquire passes {@link #SITE}, its release hands the same site back);
 * but without the agent's double-release guard (a compare-and-set per release) and scrub, which are the agent's, not
 * the pool's.
 */
public final class RuntimeScratch implements Scratch, Recyclable {

    static final ClassShelf POOL = ShelfRegistry.register(RuntimeScratch.class, 0);

    /** The benchmark's one allocation site, numbered as the agent numbers a rewritten {@code new}. */
    static final int SITE = Sites.register(RuntimeScratch.class.getName(), "dev.shelf.bench.Contender.acquire");

    private final byte[] header = new byte[HEADER];
    private final byte[] body = new byte[BODY];
    private final List<String> tokens = new ArrayList<>(16);

    @Override
    public byte[] header() {
        return header;
    }

    @Override
    public byte[] body() {
        return body;
    }

    @Override
    public List<String> tokens() {
        return tokens;
    }

    @Override
    public void reset() {
        tokens.clear();
    }

    @Override
    public boolean $shelf$release() {
        POOL.release(this, SITE);
        return true;
    }

    @Override
    public boolean $shelf$isReleased() {
        return true;
    }
}
