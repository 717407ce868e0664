package dev.shelf.internal.pool;

import dev.shelf.ShelfStats;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static dev.shelf.internal.pool.ClassPoolTest.assertBalanced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GC-aware trimming, driven deterministically: each {@link ClassPool#onGc} call stands for one collection reported
 * by the platform. (GcWatchTest checks the same with real collections.)
 */
class EvictionTest {

    @Test
    void objectsInUseSurviveCollections() {
        ClassPool shelf = new ClassPool(Item.class, 8, 0);
        Item item = new Item();
        shelf.release(item);
        for (int gc = 0; gc < 5; gc++) {
            shelf.onGc(false);
            assertThat(shelf.acquire()).as("used every cycle, kept").isSameAs(item);
            shelf.release(item);
        }
        assertThat(shelf.snapshot().evicted()).isZero();
    }

    @Test
    void anObjectTakenAndNeverReleasedIsNotKeptBeyondTheNextCheckIn() throws Exception {
        ClassPool shelf = new ClassPool(Item.class, 8, 0);
        List<WeakReference<Item>> refs = new ArrayList<>();
        releaseNew(shelf, 3, refs);
        List<Object> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            taken.add(shelf.acquire());
        }
        assertThat(taken).as("the three released objects come back").doesNotContainNull();
        List<WeakReference<Object>> lost = new ArrayList<>();
        for (Object o : taken) {
            lost.add(new WeakReference<>(o));
        }
        taken.clear(); // dropped by the caller, never released: only the pool could still reach them
        shelf.onGc(false);
        assertThat(shelf.acquire()).as("the owner checks in: its stack is empty").isNull();
        assertThat(collectable(lost)).as("the slots above the stack no longer reference them").isTrue();
    }

    @Test
    void objectsUntouchedForAWholeCycleAreDroppedAtTheOwnersNextAccess() {
        ClassPool shelf = new ClassPool(Item.class, 16, 0);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(new Item());
            shelf.release(items.get(i));
        }
        shelf.onGc(false);
        // A cycle in which only the top two are used: the bottom eight sit idle.
        Object a = shelf.acquire();
        Object b = shelf.acquire();
        shelf.release(b);
        shelf.release(a);
        assertThat(shelf.snapshot().idle()).isEqualTo(10);
        shelf.onGc(false);
        assertThat(shelf.acquire()).as("the working set is kept").isSameAs(a);
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.evicted()).as("the 8 objects idle across two collections").isEqualTo(8);
        assertThat(p.idle()).isEqualTo(1);
        assertThat(shelf.acquire()).isSameAs(b);
        assertThat(shelf.acquire()).isNull();
    }

    @Test
    void anIdleThreadLosesItsObjectsAfterTwoCollectionsAndTheyBecomeGarbage() throws Exception {
        ClassPool shelf = new ClassPool(Item.class, 16, 0);
        List<WeakReference<Item>> refs = new ArrayList<>();
        CountDownLatch filled = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread idle = new Thread(() -> {
            synchronized (refs) {
                releaseNew(shelf, 10, refs);
            }
            filled.countDown();
            try {
                finish.await(); // alive but never touching the pool again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        idle.start();
        filled.await();
        try {
            shelf.onGc(false);
            assertThat(shelf.snapshot().idle()).as("after one collection the objects wait as victims").isEqualTo(10);
            shelf.onGc(false);
            ShelfStats.PoolStats p = shelf.snapshot();
            assertThat(p.idle()).as("after two collections with no traffic: nothing per thread").isZero();
            assertThat(p.evicted()).isEqualTo(10);
            assertThat(collectable(refs)).as("the pool no longer holds them: the collector frees them").isTrue();
        } finally {
            finish.countDown();
            idle.join();
        }
        assertBalanced(shelf.snapshot());
    }

    @Test
    void anOwnerBackAfterTwoCollectionsStartsOverAndCountsWhatWasDropped() throws Exception {
        ClassPool shelf = new ClassPool(Item.class, 16, 0);
        List<WeakReference<Item>> refs = new ArrayList<>();
        releaseNew(shelf, 10, refs);
        shelf.onGc(false); // parked
        shelf.onGc(false); // not taken back within a cycle: dropped
        assertThat(collectable(refs)).as("nothing holds the dropped array any more").isTrue();
        assertThat(shelf.acquire()).as("the owner starts over with an empty stack").isNull();
        Item item = new Item();
        shelf.release(item);
        assertThat(shelf.acquire()).isSameAs(item);
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.evicted()).isEqualTo(10);
        assertThat(p.acquired()).isEqualTo(2);
        assertThat(p.allocated()).isEqualTo(1);
        assertThat(p.reused()).isEqualTo(1);
        assertThat(p.idle()).isZero();
        assertBalanced(p);
    }

    @Test
    void anOwnerBackAfterOneCollectionGetsItsOwnObjectsBackInOrder() {
        ClassPool shelf = new ClassPool(Item.class, 16, 0);
        Item a = new Item();
        Item b = new Item();
        shelf.release(a);
        shelf.release(b);
        shelf.onGc(false);
        assertThat(shelf.snapshot().idle()).as("parked, still counted idle").isEqualTo(2);
        assertThat(shelf.acquire()).isSameAs(b);
        assertThat(shelf.acquire()).isSameAs(a);
        assertThat(shelf.snapshot().evicted()).as("the first cycle after filling drops nothing").isZero();
    }

    @Test
    void memoryPressureDropsEverythingAtOnce() throws Exception {
        ClassPool shelf = new ClassPool(Item.class, 16, 64);
        List<WeakReference<Item>> refs = new ArrayList<>();
        releaseNew(shelf, 40, refs); // 16 on the stack would overflow: most go to the depot
        assertThat(shelf.snapshot().idle()).isEqualTo(40);
        shelf.onGc(true);
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.idle()).isZero();
        assertThat(p.evicted()).isEqualTo(40);
        assertThat(collectable(refs)).isTrue();
        assertThat(shelf.acquire()).as("the pool starts over").isNull();
        assertBalanced(shelf.snapshot());
    }

    @Test
    void theDepotDropsCratesIdleAcrossTwoCollections() throws InterruptedException {
        ClassPool shelf = new ClassPool(Item.class, 4, 16);
        Threads.runOn(t -> {
            for (int i = 0; i < 12; i++) {
                shelf.release(new Item()); // 4 stay on this thread's stack, 8 spill into the depot
            }
        });
        ShelfStats.PoolStats before = shelf.snapshot(); // the ended thread's 4 are let go here
        assertThat(before.idle()).isEqualTo(8);
        shelf.onGc(false);
        assertThat(shelf.snapshot().idle()).as("one collection: still there").isEqualTo(8);
        shelf.onGc(false);
        ShelfStats.PoolStats p = shelf.snapshot();
        assertThat(p.idle()).isZero();
        assertThat(p.evicted()).isEqualTo(12);
        assertBalanced(p);
    }

    /**
     * Releases {@code n} new items, remembering them weakly. A method of its own so that no local variable of the
     * caller's frame keeps the last one alive.
     */
    static void releaseNew(ClassPool shelf, int n, List<WeakReference<Item>> refs) {
        for (int i = 0; i < n; i++) {
            Item item = new Item();
            refs.add(new WeakReference<>(item));
            shelf.release(item);
        }
    }

    /** Whether every referent becomes garbage, trying a few full collections. Not a timing assertion. */
    static boolean collectable(List<? extends WeakReference<?>> refs) throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            System.gc();
            if (refs.stream().allMatch(r -> r.get() == null)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
