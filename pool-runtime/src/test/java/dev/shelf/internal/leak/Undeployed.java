package dev.shelf.internal.leak;

import dev.shelf.Shelf;
import dev.shelf.internal.ArrayShelf;
import dev.shelf.internal.ClassShelf;
import dev.shelf.internal.ShelfRegistry;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;

/**
 * A pooled class of an application that gets undeployed. ClassLoaderLeakTest loads it in a throw-away class loader
 * (never through the test's own loader), uses its pool every way a live application would, then drops the loader.
 * Its static initialiser registers the pool exactly as the agent's generated code does.
 */
public final class Undeployed {

    static final ClassShelf POOL = ShelfRegistry.register(Undeployed.class, 8);

    /** Some weight, so that a leak would matter. */
    final byte[] payload = new byte[4096];

    private static Undeployed acquire() {
        Object o = POOL.acquire();
        return o == null ? new Undeployed() : (Undeployed) o;
    }

    /**
     * Uses the pool on the calling thread, on a long-lived pool thread, across threads (the depot), through the
     * registry's release path (its ClassValue and the thread's hint), and leaves objects idle everywhere.
     *
     * @param longLived a thread that outlives the application, like a container's worker
     */
    public static void exercise(ExecutorService longLived) throws Exception {
        for (int i = 0; i < 20; i++) {
            ShelfRegistry.release(acquire());
        }
        for (int i = 0; i < 20; i++) { // more than the stack holds: the rest spills into the depot
            POOL.release(new Undeployed());
        }
        longLived.submit(() -> {
            for (int i = 0; i < 20; i++) {
                ShelfRegistry.release(acquire());
            }
        }).get();
        BlockingQueue<Undeployed> handOff = new ArrayBlockingQueue<>(16);
        longLived.submit(() -> {
            for (int i = 0; i < 16; i++) {
                handOff.add(acquire());
            }
        }).get();
        for (Undeployed u : handOff) {
            ShelfRegistry.release(u); // released on another thread than the one that acquired it
        }
        exerciseArrays(longLived);
    }

    /**
     * Pooled arrays of this class ({@code new @Pooled Undeployed[16]}): idle in their pools on both threads, filed in
     * the JVM-wide ledger, one released twice. None of it may keep the class.
     */
    private static void exerciseArrays(ExecutorService longLived) throws Exception {
        for (int i = 0; i < 5; i++) {
            Object[] a = ArrayShelf.objects(16, Undeployed.class, 0);
            a[0] = new Undeployed();
            Shelf.release(a);
        }
        Object[] first = ArrayShelf.objects(16, Undeployed.class, 0);
        Object[] second = ArrayShelf.objects(16, Undeployed.class, 0);
        Shelf.release(first);
        Shelf.release(second);
        Shelf.release(second); // refused: counted, not pooled
        longLived.submit(() -> {
            Object[] a = ArrayShelf.objects(32, Undeployed.class, 0);
            Shelf.release(a);
        }).get();
    }
}
