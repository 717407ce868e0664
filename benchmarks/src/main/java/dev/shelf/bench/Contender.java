package dev.shelf.bench;

import dev.shelf.Shelf;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import stormpot.Pool;
import stormpot.PoolTap;
import stormpot.Timeout;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One way of getting a scratch object and giving it back. Every contender returns a reset object from
 * {@link #acquire()}; the work done with it is the same for all (see {@link Work}).
 *
 * <p>Each benchmark fork creates exactly one contender, so exactly one subclass is loaded and calls on this abstract
 * class are monomorphic: the JIT inlines them as if the benchmark called the pool directly.
 */
public abstract class Contender {

    /** Contender names, as the benchmarks' {@code pool} parameter takes them. */
    public static final String NEW = "new";
    public static final String SHELF_AGENT = "shelf-agent";
    public static final String SHELF_RUNTIME = "shelf-runtime";
    public static final String NETTY = "netty-recycler";
    public static final String STORMPOT = "stormpot";
    public static final String COMMONS = "commons-pool2";
    public static final String THREAD_LOCAL = "threadlocal-stack";

    /** Fixed-size pools get this many objects: more than two threads plus a full hand-off ring can hold. */
    static final int POOL_SIZE = 4 * CrossThread.RING;

    /** @return a reset scratch object */
    abstract Scratch acquire();

    /** @param s an object from {@link #acquire()}, possibly acquired on another thread */
    abstract void release(Scratch s);

    /** @return the instance the calling thread should use (Stormpot's tap must not be shared) */
    Contender forThread() {
        return this;
    }

    static Contender named(String name) {
        return switch (name) {
            case NEW -> new NewAllocation();
            case SHELF_AGENT -> new ShelfAgent();
            case SHELF_RUNTIME -> new ShelfRuntime();
            case NETTY -> new NettyRecycler();
            case STORMPOT -> new Stormpot();
            case COMMONS -> new CommonsPool();
            case THREAD_LOCAL -> new ThreadLocalStack();
            default -> throw new IllegalArgumentException("unknown pool " + name);
        };
    }

    /** No pool: allocate every time and leave the object to the garbage collector. */
    static final class NewAllocation extends Contender {
        @Override
        Scratch acquire() {
            return new PlainScratch();
        }

        @Override
        void release(Scratch s) {
        }
    }

    /** Shelf as users use it: plain {@code new} of a {@code @Pooled} class, rewritten by the agent. */
    static final class ShelfAgent extends Contender {
        ShelfAgent() {
            requireAgent();
            PooledScratch first = new PooledScratch();
            Shelf.release(first);
            if (new PooledScratch() != first) {
                throw new IllegalStateException("new PooledScratch() was not rewritten by the Shelf agent");
            }
        }

        @Override
        Scratch acquire() {
            return new PooledScratch();
        }

        @Override
        void release(Scratch s) {
            Shelf.release(s);
        }
    }

    /** Shelf's pool called directly, with the same hand-written reset as the other pools. */
    static final class ShelfRuntime extends Contender {
        ShelfRuntime() {
            requireAgent();
        }

        @Override
        Scratch acquire() {
            RuntimeScratch s = (RuntimeScratch) RuntimeScratch.POOL.acquire(RuntimeScratch.SITE);
            if (s == null) {
                return new RuntimeScratch();
            }
            s.reset();
            return s;
        }

        @Override
        void release(Scratch s) {
            Shelf.release(s);
        }
    }

    /** Netty's Recycler with its defaults (4.2: per-thread pools, cross-thread releases through an MPSC queue). */
    static final class NettyRecycler extends Contender {
        @Override
        Scratch acquire() {
            NettyScratch s = NettyScratch.RECYCLER.get();
            s.reset();
            return s;
        }

        @Override
        void release(Scratch s) {
            NettyScratch n = (NettyScratch) s;
            n.handle.recycle(n);
        }
    }

    /** Stormpot with an inline allocator (no background thread) and a thread-local tap per thread. */
    static final class Stormpot extends Contender {
        private static final Timeout TIMEOUT = new Timeout(10, TimeUnit.SECONDS);
        private final Pool<StormpotScratch> pool;
        private final PoolTap<StormpotScratch> tap;

        Stormpot() {
            this(Pool.fromInline(new stormpot.Allocator<StormpotScratch>() {
                @Override
                public StormpotScratch allocate(stormpot.Slot slot) {
                    return new StormpotScratch(slot);
                }

                @Override
                public void deallocate(StormpotScratch poolable) {
                }
            }).setSize(POOL_SIZE).build());
        }

        private Stormpot(Pool<StormpotScratch> pool) {
            this.pool = pool;
            this.tap = pool.getThreadLocalTap();
        }

        @Override
        Contender forThread() {
            return new Stormpot(pool);
        }

        @Override
        Scratch acquire() {
            try {
                StormpotScratch s = tap.claim(TIMEOUT);
                if (s == null) {
                    throw new IllegalStateException("Stormpot claim timed out");
                }
                s.reset();
                return s;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        void release(Scratch s) {
            ((StormpotScratch) s).release();
        }
    }

    /** Apache Commons Pool 2: one lock-based deque shared by all threads; JMX registration off. */
    static final class CommonsPool extends Contender {
        private final GenericObjectPool<PlainScratch> pool;

        CommonsPool() {
            GenericObjectPoolConfig<PlainScratch> config = new GenericObjectPoolConfig<>();
            config.setMaxTotal(POOL_SIZE);
            config.setMaxIdle(POOL_SIZE);
            config.setJmxEnabled(false);
            pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
                @Override
                public PlainScratch create() {
                    return new PlainScratch();
                }

                @Override
                public PooledObject<PlainScratch> wrap(PlainScratch s) {
                    return new DefaultPooledObject<>(s);
                }
            }, config);
        }

        @Override
        Scratch acquire() {
            try {
                PlainScratch s = pool.borrowObject();
                s.reset();
                return s;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        void release(Scratch s) {
            pool.returnObject((PlainScratch) s);
        }
    }

    /**
     * The pool everyone writes first: a {@code ThreadLocal<ArrayDeque>}, bounded at 64 like Shelf's default. Release
     * looks the deque up again, as code that releases in another method than it acquired must.
     */
    static final class ThreadLocalStack extends Contender {
        private static final int CAPACITY = 64;
        private static final ThreadLocal<ArrayDeque<PlainScratch>> STACK =
                ThreadLocal.withInitial(() -> new ArrayDeque<>(CAPACITY));

        @Override
        Scratch acquire() {
            PlainScratch s = STACK.get().pollFirst();
            if (s == null) {
                return new PlainScratch();
            }
            s.reset();
            return s;
        }

        @Override
        void release(Scratch s) {
            ArrayDeque<PlainScratch> stack = STACK.get();
            if (stack.size() < CAPACITY) {
                stack.addFirst((PlainScratch) s);
            }
        }
    }

    private static void requireAgent() {
        if (!Shelf.isActive()) {
            throw new IllegalStateException("the Shelf agent is not running: run the benchmarks from the repository "
                    + "root after building agent/target/shelf-agent.jar (see docs/benchmarks.md)");
        }
    }
}
