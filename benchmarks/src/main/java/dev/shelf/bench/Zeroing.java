package dev.shelf.bench;

import dev.shelf.internal.Reuse;
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

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Ways to make a used {@code byte[]} equal a new one, for the agent path's re-initialiser ({@link Reuse#zeroed}),
 * which must zero an owned buffer on every reuse: a reused object must equal a fresh one. Each writes one byte
 * first, as a user would, so that nothing can be skipped. Part of a full run; alone:
 * {@code java -jar benchmarks/target/benchmarks.jar Zeroing} (see docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Zeroing {

    @Param({"256", "16384"})
    public int size;

    private byte[] buffer;
    private byte[] zeros;
    private ByteBuffer wrapped;
    private int seq;

    @Setup
    public void setup() {
        buffer = new byte[size];
        zeros = new byte[size];
        wrapped = ByteBuffer.wrap(buffer);
    }

    /** What the re-initialiser does today: {@code Arrays.fill} through {@link Reuse#zeroed}. */
    @Benchmark
    public Object reuseZeroed() {
        buffer[seq++ & (size - 1)] = 1;
        return Reuse.zeroed(buffer, byte[].class, size);
    }

    /** {@code Arrays.fill} called directly. */
    @Benchmark
    public Object arraysFill() {
        buffer[seq++ & (size - 1)] = 1;
        Arrays.fill(buffer, (byte) 0);
        return buffer;
    }

    /** Copying a shared all-zero array over it: reads as much memory as it writes. */
    @Benchmark
    public Object copyZeros() {
        buffer[seq++ & (size - 1)] = 1;
        System.arraycopy(zeros, 0, buffer, 0, size);
        return buffer;
    }

    /** Long-at-a-time stores through a heap {@code ByteBuffer} view. */
    @Benchmark
    public Object longStores() {
        buffer[seq++ & (size - 1)] = 1;
        for (int i = 0; i < size; i += 8) {
            wrapped.putLong(i, 0L);
        }
        return buffer;
    }

    /** What {@code new} pays: a fresh zeroed array (and, later, the garbage collector). */
    @Benchmark
    public Object allocate() {
        byte[] fresh = new byte[size];
        fresh[seq++ & (size - 1)] = 1;
        return fresh;
    }
}
