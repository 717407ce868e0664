package dev.shelf.internal.pool;

import dev.shelf.internal.Recyclable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code shelf.pool.maxIdleBytes}: idle objects of the whole JVM hold at most the budget, estimated; a thread's
 * stack grows only as far as the budget has room, and what a stack reserved goes back when its thread ends.
 */
class IdleBudgetTest {

    private static final long MIB = 1 << 20;
    private long before;
    private long limit;

    /** A pooled object that owns a 1 MiB buffer, as its generated {@code $shelf$ownedBytes()} would say. */
    static final class Big implements Recyclable {
        @Override
        public boolean $shelf$release() {
            return true;
        }

        @Override
        public boolean $shelf$isReleased() {
            return false;
        }

        @Override
        public long $shelf$ownedBytes() {
            return MIB;
        }
    }

    @BeforeEach
    void budget() {
        limit = IdleBudget.limit();
        before = IdleBudget.reserved(); // other tests' pools may hold room: the budget here is on top of it
        IdleBudget.limit(before + 8 * MIB + 4096);
    }

    @AfterEach
    void restore() {
        IdleBudget.limit(limit);
    }

    @Test
    void releasesPastTheBudgetAreDroppedNotKept() {
        ClassPool shelf = new ClassPool(Big.class, 64, 256);
        List<Object> held = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Object o = shelf.acquire();
            held.add(o == null ? new Big() : o);
        }
        for (Object o : held) {
            shelf.release(o);
        }
        long idle = shelf.snapshot().idle();
        System.out.printf("[budget] 32 released objects of ~1 MiB, budget 8 MiB: %d kept idle, %d dropped, "
                + "%d KiB reserved%n", idle, shelf.snapshot().dropped(), (IdleBudget.reserved() - before) >> 10);
        assertThat(idle).isBetween(4L, 8L);
        assertThat(shelf.snapshot().dropped()).isEqualTo(32 - idle);
        assertThat(IdleBudget.reserved() - before).isLessThanOrEqualTo(8 * MIB + 4096);
        for (int i = 0; i < idle; i++) {
            assertThat(shelf.acquire()).as("what was kept comes back").isNotNull();
        }
    }

    @Test
    void aBiggerBudgetKeepsMore() {
        IdleBudget.limit(before + 64 * MIB);
        ClassPool shelf = new ClassPool(Big.class, 64, 256);
        List<Object> held = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            held.add(new Big());
        }
        for (Object o : held) {
            shelf.release(o);
        }
        assertThat(shelf.snapshot().idle()).isEqualTo(32);
    }

    @Test
    void anEndedThreadGivesItsRoomBack() throws InterruptedException {
        ClassPool shelf = new ClassPool(Big.class, 64, 0);
        Thread t = new Thread(() -> {
            for (int i = 0; i < 6; i++) {
                shelf.release(new Big());
            }
        });
        t.start();
        t.join();
        assertThat(IdleBudget.reserved() - before).as("the ended thread's stack still counts until it is folded")
                .isGreaterThanOrEqualTo(6 * MIB);
        shelf.snapshot(); // folds ended threads
        assertThat(IdleBudget.reserved() - before).isLessThanOrEqualTo(0);
    }

    @Test
    void aCollectionDropsWhatSatIdleAndGivesItsRoomBack() {
        ClassPool shelf = new ClassPool(Big.class, 64, 0);
        for (int i = 0; i < 6; i++) {
            shelf.release(new Big());
        }
        assertThat(IdleBudget.reserved() - before).isGreaterThanOrEqualTo(6 * MIB);
        shelf.onGc(false);
        shelf.onGc(false); // idle across two collections, its owner never came back: dropped
        assertThat(IdleBudget.reserved() - before).isLessThanOrEqualTo(0);
        assertThat(shelf.acquire()).isNull();
    }
    @Test
    void bigObjectsLeaveRoomForEveryThread() throws InterruptedException {
        // 4 threads, each with one 1 MiB object out at a time, under 8 MiB: growing a stack by several slots at a
        // time would let the first two threads take the whole budget and the other two drop every release.
        ClassPool shelf = new ClassPool(Big.class, 64, 0);
        java.util.concurrent.CountDownLatch allReleased = new java.util.concurrent.CountDownLatch(4);
        java.util.concurrent.atomic.AtomicInteger reused = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                Object o = new Big();
                shelf.release(o);
                allReleased.countDown();
                try {
                    allReleased.await(); // alive until every thread has released: no stack is folded meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (shelf.acquire() == o) {
                    reused.incrementAndGet();
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(reused.get()).as("threads whose own object came back").isEqualTo(4);
        assertThat(shelf.snapshot().dropped()).isZero();
    }
}
