package dev.shelf.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

import java.util.concurrent.TimeUnit;

/**
 * Acquire on one thread, release on another: a producer acquires and fills scratch objects, a consumer reads them
 * and releases them — the shape of an event loop handing requests to a worker.
 *
 * <p>Two groups do exactly the same work with the same hand-off ring, so their ratio is the price of releasing on
 * the other thread:
 * <ul>
 *   <li>{@code crossRelease}: the object itself travels; the consumer reads and releases it.</li>
 *   <li>{@code localRelease}: the producer reads and releases the object itself and sends a token through the ring
 *       instead.</li>
 * </ul>
 * Neither thread ever blocks: a wait spins briefly, then yields (on two cores the other side may simply not be
 * running), and gives up when JMH ends the iteration. The ring holds up to {@link #RING} objects in flight.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-javaagent:agent/target/shelf-agent.jar", "-Xms1g", "-Xmx1g",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.shelf.bench.NettyThreadsExecutor"})
@State(Scope.Group)
public class CrossThread {

    private static final Object TOKEN = new Object();

    /** Objects in flight between the two threads at most; fixed-size pools are made larger than this. */
    static final int RING = 256;

    /** Spin a little, then give the core away: the other thread may be waiting for it. */
    private static void pause(int attempt) {
        if (attempt < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    @Param({Contender.NEW, Contender.SHELF_AGENT, Contender.SHELF_RUNTIME, Contender.NETTY, Contender.STORMPOT,
            Contender.COMMONS, Contender.THREAD_LOCAL})
    public String pool;

    Contender shared;
    Handoff ring;

    @Setup
    public void setup() {
        shared = Contender.named(pool);
        ring = new Handoff(RING);
    }

    /** One side's view of the contender and its request counter. */
    @State(Scope.Thread)
    public static class Side {
        Contender contender;
        int seq;

        @Setup
        public void setup(CrossThread group) {
            contender = group.shared.forThread();
        }
    }

    @Benchmark
    @Group("crossRelease")
    @GroupThreads(1)
    public long produce(Side side, Control control) {
        Scratch s = side.contender.acquire();
        long sum = Work.fill(s, side.seq++);
        for (int attempt = 0; !ring.offer(s); attempt++) {
            if (control.stopMeasurement) {
                side.contender.release(s);
                return sum;
            }
            pause(attempt);
        }
        return sum;
    }

    @Benchmark
    @Group("crossRelease")
    @GroupThreads(1)
    public long consume(Side side, Control control) {
        Object o;
        for (int attempt = 0; (o = ring.poll()) == null; attempt++) {
            if (control.stopMeasurement) {
                return 0;
            }
            pause(attempt);
        }
        Scratch s = (Scratch) o;
        long sum = Work.read(s);
        side.contender.release(s);
        return sum;
    }

    @Benchmark
    @Group("localRelease")
    @GroupThreads(1)
    public long produceAndRelease(Side side, Control control) {
        Scratch s = side.contender.acquire();
        long sum = Work.fill(s, side.seq++);
        sum += Work.read(s);
        side.contender.release(s);
        for (int attempt = 0; !ring.offer(TOKEN); attempt++) {
            if (control.stopMeasurement) {
                return sum;
            }
            pause(attempt);
        }
        return sum;
    }

    @Benchmark
    @Group("localRelease")
    @GroupThreads(1)
    public long consumeToken(Control control) {
        for (int attempt = 0; ring.poll() == null; attempt++) {
            if (control.stopMeasurement) {
                return 0;
            }
            pause(attempt);
        }
        return 1;
    }
}
