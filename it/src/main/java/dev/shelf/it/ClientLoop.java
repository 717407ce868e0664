package dev.shelf.it;

import org.HdrHistogram.Histogram;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The closed loop both load generators run: {@code concurrency} client threads, each with its own connection, claim
 * request numbers {@code 0..requests-1} until none are left or the deadline passes, and tally what each request came
 * to. What a request is and how its answer is checked is the generator's ({@link Exchange}); counting, the deadline,
 * latency histograms and the first few problem descriptions are here.
 *
 * <p>Bounded on purpose: a fixed request count and a deadline, never an open-ended soak, so that a test or demo always
 * ends. Requests not started before the deadline count as errors, each exactly once.
 */
final class ClientLoop {

    /** How many problem descriptions a result keeps: enough to diagnose, few enough to print. */
    private static final int MAX_PROBLEMS = 10;

    /** What one request came to. */
    enum Outcome { OK, CONTAMINATED, ERROR }

    /**
     * One request of a run, on one client's connection.
     *
     * @param <C> the connection type
     */
    @FunctionalInterface
    interface Exchange<C> {
        /**
         * Builds request {@code index}, sends it, records the exchange's latency (nothing else) and checks the answer.
         *
         * @param conn    the client's connection
         * @param index   the request's number in the run, unique among all clients
         * @param random  the client's own random source
         * @param tally   where to count items and note problems
         * @param latency the client's histogram, nanoseconds
         * @return the outcome; an I/O failure is an {@link Outcome#ERROR} with a problem noted
         */
        Outcome send(C conn, int index, SplittableRandom random, Tally tally, Histogram latency);
    }

    /** What the clients of one run share besides the outcome counts. */
    static final class Tally {
        private final AtomicLong items = new AtomicLong();
        private final List<String> problems = new ArrayList<>();

        /** @param n items (tokens, lines) in a request just built */
        void items(long n) {
            items.addAndGet(n);
        }

        /** @param problem a description of a wrong or failed request; the first few are kept */
        void problem(String problem) {
            synchronized (problems) {
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add(problem);
                }
            }
        }

        private List<String> problems() {
            synchronized (problems) {
                return List.copyOf(problems);
            }
        }
    }

    private ClientLoop() {
    }

    /**
     * Runs the loop and waits for every client to finish.
     *
     * @param requests    total requests
     * @param concurrency client threads, each with its own connection
     * @param deadline    the whole run's budget
     * @param master      seeds one random source per client
     * @param unit        what a request is, for problem descriptions: {@code requests}, {@code batches}
     * @param threadName  the clients' thread name prefix
     * @param connections opens one client's connection
     * @param exchange    sends and checks one request
     * @param <C>         the connection type
     * @return what the run observed
     * @throws InterruptedException if interrupted while waiting for the clients
     */
    static <C extends Closeable> LoadResult run(int requests, int concurrency, Duration deadline,
                                               SplittableRandom master, String unit, String threadName,
                                               Supplier<C> connections, Exchange<C> exchange)
            throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        AtomicLong contaminated = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Tally tally = new Tally();
        Histogram[] latencies = new Histogram[concurrency];
        Thread[] clients = new Thread[concurrency];
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        for (int c = 0; c < clients.length; c++) {
            Histogram latency = new Histogram(3); // auto-resizing: no value is ever out of range
            latencies[c] = latency;
            SplittableRandom random = master.split();
            clients[c] = new Thread(() -> {
                try (C conn = connections.get()) {
                    int i;
                    while ((i = next.getAndIncrement()) < requests) {
                        if (System.nanoTime() - end > 0) {
                            // Claim every number not yet taken, so that each unsent request is counted once and the
                            // other clients stop at their next iteration.
                            int unclaimed = Math.max(0, requests - next.getAndSet(requests));
                            errors.addAndGet(1 + unclaimed);
                            tally.problem("deadline of " + deadline + " passed; " + (1 + unclaimed) + " " + unit
                                    + " not sent");
                            break;
                        }
                        switch (exchange.send(conn, i, random, tally, latency)) {
                            case OK -> ok.incrementAndGet();
                            case CONTAMINATED -> contaminated.incrementAndGet();
                            case ERROR -> errors.incrementAndGet();
                        }
                    }
                } catch (java.io.IOException e) {
                    tally.problem("closing a connection: " + e); // the requests themselves were counted
                }
            }, threadName + c);
            clients[c].setDaemon(true); // an abandoned run (test timeout) must not keep its JVM alive
            clients[c].start();
        }
        for (Thread t : clients) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;
        Histogram total = new Histogram(3);
        for (Histogram h : latencies) {
            total.add(h);
        }
        return new LoadResult(requests, ok.get(), contaminated.get(), errors.get(), tally.items.get(), elapsed, total,
                tally.problems());
    }
}
