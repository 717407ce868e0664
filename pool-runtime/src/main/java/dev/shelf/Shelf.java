package dev.shelf;

import dev.shelf.internal.ArrayShelf;
import dev.shelf.internal.Recyclable;
import dev.shelf.internal.ShelfRegistry;
import dev.shelf.internal.Strict;

/**
 * The application's entry point to Shelf.
 *
 * <p>Everything here is safe to call whether or not the agent is running. Without the agent no class is pooled,
 * so {@link #release(Object)} does nothing and {@link #stats()} is empty.
 */
public final class Shelf {

    private Shelf() {
    }

    /**
     * Hands {@code obj} back to the pool of its class, so that a later {@code new} of that class on this thread may
     * return it, re-initialised; or, for an array made by {@code new @Pooled T[n]}, to the pool of its type and
     * length, so that a later {@code new @Pooled T[n]} of the same length may return it, zeroed.
     *
     * <p>After this call the caller must not use {@code obj} again, nor anything it owns (the containers and pooled
     * objects its constructor made): the next {@code new} may hand it to someone else. On release the object lets go
     * of every reference it does not own and empties the containers it does, so that it pins nothing while idle; a
     * released reference array is filled with {@code null}s for the same reason.
     *
     * <p>Releasing the same object or array twice never pools it twice: the second release is ignored, counted and
     * warned about once per class (per array type and length). Releasing {@code null}, an object of a class that is
     * not pooled, an array no {@code @Pooled} site made (a plain {@code new}, a copy, an array of length 0 is
     * accepted and ignored), or anything while the agent is not running does nothing. In strict mode
     * ({@code shelf.mode=strict}) a second release, and a release of {@code null}, of an object that is not pooled or
     * of an array no pooled site made, throw {@link PoolMisuseException} instead; and a released primitive array is
     * filled with a poison pattern ({@code 0xDE} bytes, {@code 0xDEADBEEF} ints, NaN, {@code true}) so that a use
     * after release reads visibly wrong data. Releasing on another thread than the one that acquired the object or
     * array is safe.
     *
     * @param obj the object or array to give back; may be {@code null}
     * @throws PoolMisuseException in strict mode only, on a double or foreign release
     */
    public static void release(Object obj) {
        // Only classes the agent transformed implement Recyclable: the object itself knows its pool and its
        // allocation site, refuses a double release and reports it (see Recyclable), so there is nothing to look up.
        if (obj instanceof Recyclable r) {
            if (!r.$shelf$release() && Strict.isOn()) {
                throw Strict.foreign(obj); // a subclass of a pooled class: it has no pool
            }
        } else if (obj != null && obj.getClass().isArray()) {
            // An array has no field of its own: the ledger knows the arrays pooled sites made (ArrayShelf).
            if (!ArrayShelf.release(obj) && Strict.isOn() && ShelfRegistry.isActive()) {
                throw Strict.foreignArray(obj);
            }
        } else if (Strict.isOn() && ShelfRegistry.isActive()) {
            throw Strict.foreign(obj);
        }
    }

    /**
     * Whether the Shelf agent is installed in this JVM and pooling is enabled.
     *
     * @return {@code true} when allocation sites of {@code @Pooled} classes are being rewritten
     */
    public static boolean isActive() {
        return ShelfRegistry.isActive();
    }

    /**
     * A snapshot of every pool's counters, for tests, dashboards and the sample apps' {@code /stats} endpoints.
     * Counters are kept per thread without synchronisation, so a snapshot taken under traffic is approximate by a
     * few operations; it is exact once the threads that use the pools are quiet.
     *
     * @return the counters of every pooled class that has been loaded, sorted by class name
     */
    public static ShelfStats stats() {
        return ShelfRegistry.snapshot();
    }
}
