package dev.shelf.agent;

import dev.shelf.Shelf;
import dev.shelf.internal.pool.DoubleRelease;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Exchanger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Double releases in normal mode, under contention: every object is released twice, by two threads at the same
 * moment. No object may ever be held by two threads at once — which is what pooling it twice would cause — and every
 * refused release is counted.
 *
 * <p>Each pair of threads meets at a barrier after both released both objects, before acquiring again. Without it a
 * thread's "second release" could come after the object was handed out anew — that is not a double release but a
 * release of someone else's object, which no pool can tell from a legitimate one (strict mode reports the uses that
 * follow it).
 */
class DoubleReleaseStressTest {

    static final String SITES = ReinitCorpusTest.CORPUS + ".Sites";
    static final String TYPE = ReinitCorpusTest.CORPUS + ".InitBlocks";
    static ShelfTestLoader loader;

    @BeforeAll
    static void load() {
        loader = new ShelfTestLoader(ReinitCorpusTest.CORPUS);
    }

    @Test
    void noObjectIsEverHeldByTwoThreads() throws Exception {
        int pairs = 2;
        int rounds = 5_000;
        Set<Object> held = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong extraReleases = new AtomicLong();
        long countBefore = DoubleRelease.count(TYPE);
        ExecutorService pool = Executors.newFixedThreadPool(pairs * 2);
        try {
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int p = 0; p < pairs; p++) {
                Exchanger<Object> partner = new Exchanger<>();
                java.util.concurrent.CyclicBarrier bothReleased = new java.util.concurrent.CyclicBarrier(2);
                for (int side = 0; side < 2; side++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < rounds; i++) {
                            Object mine = loader.call(SITES, "initBlocks");
                            Object second = loader.call(SITES, "initBlocks");
                            if (!held.add(mine) | !held.add(second)) {
                                violations.add("round " + i + ": an object handed out while another thread held it");
                            }
                            held.remove(mine); // done with it; `second` stays in use a while longer
                            Object theirs = partner.exchange(mine, 10, TimeUnit.SECONDS);
                            // Both threads release both objects: each object twice, by two threads at once.
                            Shelf.release(mine);
                            Shelf.release(theirs);
                            held.remove(second);
                            Shelf.release(second);
                            bothReleased.await(10, TimeUnit.SECONDS);
                            extraReleases.incrementAndGet();
                        }
                        return null;
                    }));
                }
            }
            List<Throwable> failures = new java.util.ArrayList<>();
            for (Future<?> f : futures) {
                try {
                    f.get(120, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            // A worker that died makes its partner time out in the exchange; report the one that died first.
            failures.sort(java.util.Comparator.comparing(t -> t instanceof java.util.concurrent.TimeoutException));
            if (!failures.isEmpty()) {
                throw new AssertionError("a worker failed", failures.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(violations).isEmpty();
        assertThat(DoubleRelease.count(TYPE) - countBefore)
                .as("one of the two releases of every object was refused").isEqualTo(extraReleases.get());
    }
}
