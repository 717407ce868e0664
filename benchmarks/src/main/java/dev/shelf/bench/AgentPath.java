package dev.shelf.bench;

import dev.shelf.Pooled;
import dev.shelf.Scratch;
import dev.shelf.Shelf;
import io.netty.util.Recycler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The agent path against Netty's Recycler with a hand-written reset, for one request's life: acquire, make fresh,
 * write 200 bytes and 8 tokens, read them back, release. Two object sizes: a 256-byte buffer, and a 16 KiB buffer —
 * where the agent zeroes the kept buffer (the object must equal a fresh one) and Netty's hand-written reset does not,
 * unless the field is {@code @Scratch}, which keeps it as it is.
 *
 * <p>Run from the repository root (the agent jar path is relative):
 * {@code java -jar benchmarks/target/benchmarks.jar AgentPath -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-javaagent:agent/target/shelf-agent.jar", "-Xms1g", "-Xmx1g",
        "-Djmh.executor=CUSTOM", "-Djmh.executor.class=dev.shelf.bench.NettyThreadsExecutor"})
@State(Scope.Thread)
public class AgentPath {

    static final String[] TOKENS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
    static final byte[] PAYLOAD = new byte[200];

    static {
        for (int i = 0; i < PAYLOAD.length; i++) {
            PAYLOAD[i] = (byte) (i * 31);
        }
    }

    /** 256-byte buffer, pooled by the agent. */
    @Pooled
    public static final class Small {
        final byte[] buf = new byte[256];
        final ArrayList<String> tokens = new ArrayList<>(8);
        int length;
    }

    /**
     * 256-byte scratch buffer, pooled by the agent and kept as it is on reuse: what {@link #shelfSmall} costs without
     * zeroing the buffer, which a fresh object has and Netty's hand-written reset skips.
     */
    @Pooled
    public static final class SmallScratch {
        @Scratch
        final byte[] buf = new byte[256];
        final ArrayList<String> tokens = new ArrayList<>(8);
        int length;
    }

    /** 16 KiB buffer, pooled by the agent (zeroed on reuse). */
    @Pooled
    public static final class Big {
        final byte[] buf = new byte[16 * 1024];
        final ArrayList<String> tokens = new ArrayList<>(8);
        int length;
    }

    /** 16 KiB scratch buffer, pooled by the agent (kept as it is on reuse). */
    @Pooled
    public static final class BigScratch {
        @Scratch
        final byte[] buf = new byte[16 * 1024];
        final ArrayList<String> tokens = new ArrayList<>(8);
        int length;
    }

    /** The same shapes for Netty, with a handle and a hand-written reset that does not zero. */
    public static final class NettySized {
        final Recycler.Handle<NettySized> handle;
        final byte[] buf;
        final ArrayList<String> tokens = new ArrayList<>(8);
        int length;

        NettySized(Recycler.Handle<NettySized> handle, int size) {
            this.handle = handle;
            this.buf = new byte[size];
        }

        void reset() {
            tokens.clear();
            length = 0;
        }
    }

    static final Recycler<NettySized> NETTY_SMALL = new Recycler<>() {
        @Override
        protected NettySized newObject(Handle<NettySized> handle) {
            return new NettySized(handle, 256);
        }
    };

    static final Recycler<NettySized> NETTY_BIG = new Recycler<>() {
        @Override
        protected NettySized newObject(Handle<NettySized> handle) {
            return new NettySized(handle, 16 * 1024);
        }
    };

    int seq;

    static int use(byte[] buf, ArrayList<String> tokens, int seq) {
        System.arraycopy(PAYLOAD, 0, buf, 0, PAYLOAD.length);
        buf[0] = (byte) seq;
        for (String t : TOKENS) {
            tokens.add(t);
        }
        return buf[0] + buf[PAYLOAD.length - 1] + tokens.size() + tokens.get(seq & 7).length();
    }

    @Benchmark
    public int shelfSmall() {
        Small s = new Small();
        int r = use(s.buf, s.tokens, seq++);
        s.length = r;
        Shelf.release(s);
        return r;
    }

    @Benchmark
    public int shelfSmallScratch() {
        SmallScratch s = new SmallScratch();
        int r = use(s.buf, s.tokens, seq++);
        s.length = r;
        Shelf.release(s);
        return r;
    }

    @Benchmark
    public int nettySmall() {
        NettySized s = NETTY_SMALL.get();
        s.reset();
        int r = use(s.buf, s.tokens, seq++);
        s.length = r;
        s.handle.recycle(s);
        return r;
    }

    @Benchmark
    public int shelfBig() {
        Big s = new Big();
        int r = use(s.buf, s.tokens, seq++);
        s.length = r;
        Shelf.release(s);
        return r;
    }

    @Benchmark
    public int shelfBigScratch() {
        BigScratch s = new BigScratch();
        int r = use(s.buf, s.tokens, seq++);
        s.length = r;
        Shelf.release(s);
        return r;
    }

    @Benchmark
    public int nettyBig() {
        NettySized s = NETTY_BIG.get();
        s.reset();
        int r = use(s.buf, s.tokens, seq++);
        s.length = r;
        s.handle.recycle(s);
        return r;
    }
}
