package dev.shelf.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Same-thread reuse, the hit path: each operation acquires a scratch object, fills it, reads it back and releases
 * it on the same thread. Subclassed for one and two threads ({@link OneThread}, {@link TwoThreads}).
 *
 * <p>Every fork runs under the Shelf agent, so that all contenders see identical JVM flags; the agent only rewrites
 * {@code new PooledScratch()}. The agent jar path is relative: run from the repository root.
 *
 * <p>Three forks per benchmark: where objects land in memory changes from one JVM to the next, and with it the cost
 * of the 512-byte copies in {@link Work#fill} by about ±12 ns for every contender alike; one fork per contender
 * would turn that into a ranking.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-javaagent:agent/target/shelf-agent.jar", "-Xms1g", "-Xmx1g",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.shelf.bench.NettyThreadsExecutor"})
public abstract class SameThread {

    /** The contender, shared by the benchmark's threads. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param({Contender.NEW, Contender.SHELF_AGENT, Contender.SHELF_RUNTIME, Contender.NETTY, Contender.STORMPOT,
                Contender.COMMONS, Contender.THREAD_LOCAL})
        public String pool;

        Contender contender;

        @Setup
        public void setup() {
            contender = Contender.named(pool);
        }
    }

    /** What one thread uses: its view of the contender and a request counter. */
    @State(Scope.Thread)
    public static class PerThread {
        Contender contender;
        int seq;

        @Setup
        public void setup(Shared shared) {
            contender = shared.contender.forThread();
        }
    }

    /**
     * The pool's own cost: acquire (with the contender's reset) and release, nothing else. This is where pools
     * differ; in {@link #acquireFillRelease} the same difference is diluted by the work every contender does alike.
     *
     * @return the object, so that nothing is optimised away
     */
    @Benchmark
    public Object acquireRelease(PerThread t) {
        Contender c = t.contender;
        Scratch s = c.acquire();
        c.release(s);
        return s;
    }

    /**
     * A request's life: acquire, reset, fill, read, release.
     *
     * @return a checksum of the request, so that nothing is optimised away
     */
    @Benchmark
    public long acquireFillRelease(PerThread t) {
        Contender c = t.contender;
        Scratch s = c.acquire();
        long sum = Work.fill(s, t.seq++);
        c.release(s);
        return sum;
    }
}
