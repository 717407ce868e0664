package dev.shelf.internal.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Runs test bodies on fresh platform threads and rethrows what they throw. */
final class Threads {

    private Threads() {
    }

    interface Body {
        void run(int index) throws Exception;
    }

    /** Runs {@code body} on {@code n} threads that start together; returns when all ended. */
    static void runAll(int n, Body body) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    body.run(index);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "worker-" + i);
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a worker failed", failure.get());
        }
    }

    /** Runs {@code body} on one new thread and waits for it. */
    static void runOn(Body body) throws InterruptedException {
        runAll(1, body);
    }
}
