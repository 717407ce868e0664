package dev.shelf.bench;

import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * JMH's worker threads for every benchmark here ({@code -Djmh.executor=CUSTOM}): Netty {@code FastThreadLocalThread}s.
 *
 * <p>Netty 4.2's {@code Recycler} pools only on threads that clean up their fast thread-locals — its own event-loop
 * threads — and hands out unpooled objects everywhere else. On JMH's plain worker threads it would not pool at all,
 * so to compare against Netty at its best, every contender runs on the threads Netty is built for. They are ordinary
 * {@link Thread}s to every other pool.
 */
public final class NettyThreadsExecutor extends ThreadPoolExecutor {

    /**
     * The constructor JMH's custom executor type calls.
     *
     * @param threads how many worker threads
     * @param prefix  their name prefix
     */
    public NettyThreadsExecutor(int threads, String prefix) {
        super(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), new DefaultThreadFactory(prefix,
                true));
    }
}
