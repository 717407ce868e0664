package dev.shelf.bench;

import dev.shelf.Pooled;
import dev.shelf.Shelf;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A pooled array site against plain {@code new}, for one buffer's life: take a zeroed {@code byte[size]}, write a
 * header and a trailer, read three bytes back, give it back. Both sides zero the whole array (the pooled one on
 * acquire, {@code new} by definition), so what the pool can save is the allocation path and the collector's work:
 * a fresh array is cold memory, a reused one is still in the cache; at 1 MiB with a 1 GiB heap the array is a G1
 * humongous object, allocated outside the TLAB.
 *
 * <p>Run from the repository root (the agent jar path is relative):
 * {@code java -jar benchmarks/target/benchmarks.jar ArrayPath -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-javaagent:agent/target/shelf-agent.jar", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ArrayPath {

    @Param({"65536", "1048576"})
    public int size;

    int seq;

    static int use(byte[] buf, int seq) {
        buf[0] = (byte) seq;
        buf[1] = (byte) (seq >>> 8);
        buf[buf.length - 1] = (byte) 7;
        return buf[0] + buf[buf.length >>> 1] + buf[buf.length - 1];
    }

    /** {@code new @Pooled byte[size]}, rewritten by the agent into an acquire; released after use. */
    @Benchmark
    public int pooled() {
        byte[] buf = new @Pooled byte[size];
        int r = use(buf, seq++);
        Shelf.release(buf);
        return r;
    }

    /** {@code new byte[size]}: the agent leaves it alone. Returning a value read from it keeps the allocation. */
    @Benchmark
    public int plain() {
        byte[] buf = new byte[size];
        return use(buf, seq++);
    }
}
