package dev.shelf.bench;

import dev.shelf.Pooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The guard for "Shelf costs nothing where pooling cannot win": a {@code @Pooled} class allocated at a site that
 * never releases what it gets, in code where C2's escape analysis removes the allocation of a plain object
 * altogether. Under the agent the site starts pooled; once it has acquired {@code shelf.sites.revertAfter} objects
 * with none released (well within the first warm-up iteration) the agent turns it back into a plain {@code new}, and
 * from then on it must cost what {@link #plainNew} costs. {@link #pooledSiteReleased} is the same shape, released:
 * what the site would cost if it stayed pooled.
 *
 * <p>Run from the repository root (the agent jar path is relative):
 * {@code java -jar benchmarks/target/benchmarks.jar NeverReleased -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-javaagent:agent/target/shelf-agent.jar", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class NeverReleased {

    /** A small pooled value, the kind that plain allocation (or no allocation at all) beats. */
    @Pooled
    public static final class PooledPoint {
        int x;
        int y;

        PooledPoint(int x, int y) {
            this.x = x;
            this.y = y;
        }
    }

    /** The same shape, not pooled. */
    public static final class PlainPoint {
        int x;
        int y;

        PlainPoint(int x, int y) {
            this.x = x;
            this.y = y;
        }
    }

    int seed = 17;

    /** A pooled site whose objects are never released: turned back into a plain new by the agent. */
    @Benchmark
    public int neverReleased() {
        PooledPoint p = new PooledPoint(seed, seed + 1);
        return p.x * 31 + p.y;
    }

    /** Plain allocation of the same shape, which escape analysis may remove. */
    @Benchmark
    public int plainNew() {
        PlainPoint p = new PlainPoint(seed, seed + 1);
        return p.x * 31 + p.y;
    }

    /** The pooled site as it costs when it stays pooled: acquire, re-initialise, release. */
    @Benchmark
    public int pooledSiteReleased() {
        PooledPoint p = new PooledPoint(seed, seed + 1);
        int r = p.x * 31 + p.y;
        dev.shelf.Shelf.release(p);
        return r;
    }
}
