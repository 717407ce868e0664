package dev.shelf.bench;

import dev.shelf.internal.Reuse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Zeroing a 256-byte buffer whose length the JIT knows, as in a re-initialiser (the constructor's constant length):
 * the runtime's way ({@link Reuse#bytes}) against the alternatives. Each writes one byte first, as a user would.
 * {@code java -jar benchmarks/target/benchmarks.jar SmallZeroing} (see docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SmallZeroing {

    private static final byte[] ZEROS = new byte[256];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final byte[] buffer = new byte[256];
    private int seq;

    /** The runtime's zeroing, as a re-initialiser calls it. */
    @Benchmark
    public Object reuseBytes() {
        buffer[seq++ & 255] = 1;
        return Reuse.bytes(256, buffer);
    }

    /** A copy from a static block of zeros, constant length. */
    @Benchmark
    public Object copyConstant() {
        buffer[seq++ & 255] = 1;
        System.arraycopy(ZEROS, 0, buffer, 0, 256);
        return buffer;
    }

    /** {@code Arrays.fill}, constant length. */
    @Benchmark
    public Object fillConstant() {
        buffer[seq++ & 255] = 1;
        Arrays.fill(buffer, 0, 256, (byte) 0);
        return buffer;
    }

    /** 32 eight-byte stores through a {@code long} view. */
    @Benchmark
    public Object longStores() {
        byte[] b = buffer;
        b[seq++ & 255] = 1;
        for (int i = 0; i < 256; i += 8) {
            LONGS.set(b, i, 0L);
        }
        return b;
    }

    /** Nothing zeroed: the harness's own cost. */
    @Benchmark
    public Object baseline() {
        buffer[seq++ & 255] = 1;
        return buffer;
    }
}
