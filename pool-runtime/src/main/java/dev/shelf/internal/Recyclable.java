package dev.shelf.internal;

import org.jspecify.annotations.Nullable;

/**
 * Implemented by every instantiable {@code @Pooled} class once the agent has transformed it; never by hand.
 *
 * <p>It carries the two things only the object itself can do cheaply: flip its own "released" flag atomically (so
 * that a second release of the same object is recognised and never puts it in a pool twice, which would hand it to
 * two holders), and let go of what it references, so that an idle pooled object pins nothing from its previous life.
 *
 * <p>Implemented by generated code: the names and descriptors of its methods are a contract listed in the agent's
 * {@code RuntimeAbi}.
 */
public interface Recyclable {

    /**
     * Releases this object into its class's pool: marks it released, scrubs it — references it does not own are set
     * to {@code null}, containers it owns are emptied (and kept, for reuse), pooled objects it owns are released in
     * turn — and hands it to the pool with the number of the allocation site that acquired it
     * ({@link ClassShelf#release(Object, int)}). A second release of an already released object is refused, never
     * pooled, and reported ({@link ClassShelf#refuse(Object, int)}, which throws in strict mode).
     *
     * <p>The object knows its pool (a static final field of its class) and its site (in its state field), so the
     * release path needs no lookup at all.
     *
     * @return {@code false} if no pool takes this object: it is of a subclass that is not itself pooled, and is left
     *         untouched; {@code true} otherwise (released, or refused as a double release)
     */
    boolean $shelf$release();

    /**
     * What this object owns and keeps while idle, estimated: its owned arrays at their length and its owned
     * containers' storage; not its own shell, nor pooled children (they are in their own pools). Called on the pool's
     * slow paths only, to size its room in the idle-bytes budget ({@code shelf.pool.maxIdleBytes}) and the exit
     * report's estimate. The agent generates it for classes that own arrays or containers.
     *
     * @return estimated bytes
     */
    default long $shelf$ownedBytes() {
        return 0;
    }

    /** Returns whether this object is released (in a pool, or dropped after release) and not handed out since. */
    boolean $shelf$isReleased();

    /**
     * Where this object was last released; recorded in strict mode only.
     *
     * @return the release's stack, or {@code null} when not recorded
     */
    default @Nullable Throwable $shelf$releasedAt() {
        return null;
    }

    /**
     * Records where this object is being released; strict mode's transform overrides this to keep it.
     *
     * @param where a throwable whose stack is the release site
     */
    default void $shelf$releasedAt(Throwable where) {
    }
}
