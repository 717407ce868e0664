package dev.shelf.sample.http;

import com.sun.net.httpserver.HttpServer;
import dev.shelf.sample.RequestCounters;
import dev.shelf.sample.ServerMain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sample service: {@code POST /parse} and {@code GET /stats} on the JDK's built-in HTTP server.
 *
 * <p>Run it as
 * <pre>{@code
 * java [-javaagent:agent/target/shelf-agent.jar] -cp <sample-app jar + deps> dev.shelf.sample.http.ParseServer \
 *      [port [threads]] [--body-buffer BYTES] [--live-set MIB] [--exit-on-stdin-close]
 * }</pre>
 * Port 0 (the default) picks a free port. {@code --body-buffer} sets the length of each request's owned body buffer
 * (default 16384), so that bodies up to that size are read into the buffer Shelf reuses rather than into an overflow
 * array; {@code --live-set} fills a session store of about that many MiB before the server listens, which every
 * request then updates ({@link LiveSet}): the live data of a real service. See {@link ParseServerOptions} for what
 * each accepts; a bad argument is one line on stderr, the usage line, and exit status 2. Once the server accepts connections it prints exactly one line,
 * {@code LISTENING <port>}, to stdout, and nothing else ever goes to stdout: scripts and tests wait for that line
 * and learn the port from it. Diagnostics go to stderr.
 *
 * <p>Why these choices:
 * <ul>
 *   <li>The JDK's {@code com.sun.net.httpserver} keeps the sample free of a web framework whose own allocations
 *       would drown the effect being demonstrated, and needs no dependency.</li>
 *   <li>A fixed pool of worker threads, because Shelf's pools are per thread: a bounded set of long-lived threads
 *       is the shape of a real server and what makes reuse pay. (A thread per request would get no reuse at all.)</li>
 *   <li>Bound to 127.0.0.1 only: it is a demo and a test fixture, not something to expose.</li>
 *   <li>{@code --exit-on-stdin-close} lets a parent process (the integration tests) tie the server's life to its
 *       own: when the parent dies, the pipe closes and the server exits instead of lingering. It is opt-in because
 *       a server started in the background of a shell has an already-closed stdin.</li>
 * </ul>
 * SIGTERM (and Ctrl-C) stop the server through a shutdown hook.
 */
public final class ParseServer implements AutoCloseable {

    /** Worker threads when none are configured: enough to keep two cores busy while some threads wait on I/O. */
    public static final int DEFAULT_THREADS = 8;

    /** The line prefix announcing the port; the integration tests match it. */
    public static final String LISTENING = ServerMain.LISTENING;

    /** What the server's stderr lines start with. */
    private static final String TAG = "[sample-app]";

    static {
        // The JDK server leaves Nagle's algorithm on by default. With keep-alive and the header and body written
        // separately, that can stall small responses by a delayed-ACK timeout (~40 ms) and turn a latency
        // measurement into a measurement of TCP timers. Must be set before the server class initialises.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ParseHandler parseHandler;
    private final LiveSet liveSet;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ParseServer(HttpServer server, ExecutorService executor, ParseHandler parseHandler, LiveSet liveSet) {
        this.server = server;
        this.executor = executor;
        this.parseHandler = parseHandler;
        this.liveSet = liveSet;
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param port    the port, or 0 for any free one
     * @param threads worker threads serving requests
     * @return the running server; {@link #close()} it when done
     * @throws IOException if the port cannot be bound
     */
    public static ParseServer start(int port, int threads) throws IOException {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, was " + threads);
        }
        return start(ParseServerOptions.defaults().withPortAndThreads(port, threads));
    }

    /**
     * Starts a server on 127.0.0.1 with a body buffer size and a live set: fills the live set first, then sets
     * {@link ParseRequest#bodyCapacity}, then binds the port. Both happen before any worker thread exists, so every
     * request sees them.
     *
     * <p>The body buffer size is static, one per JVM: a second server started in the same JVM with another size
     * changes it for the first one too. The tests that start servers with other sizes restore the default.
     *
     * @param options the port, threads, body buffer and live set ({@code exitOnStdinClose} is {@code main}'s)
     * @return the running server; {@link #close()} it when done
     * @throws IOException      if the port cannot be bound
     * @throws OutOfMemoryError if the live set does not fit in the heap
     */
    public static ParseServer start(ParseServerOptions options) throws IOException {
        LiveSet liveSet = LiveSet.filled(options.liveSetMib());
        ParseRequest.bodyCapacity = options.bodyBuffer();
        // A body the buffer was sized for must never be refused: the limit grows with the buffer.
        RequestParser parser = new RequestParser(Math.max(RequestParser.DEFAULT_MAX_BODY_BYTES, options.bodyBuffer()));
        RequestCounters counters = new RequestCounters(ParseHandler.HANDLER_SCOPE);
        ParseHandler parse = new ParseHandler(parser, counters, liveSet);
        int port = options.port();
        int threads = options.threads();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server.createContext("/parse", parse);
        server.createContext("/stats", new StatsHandler(parser.jsonFactory(), counters));
        ExecutorService executor = Executors.newFixedThreadPool(threads, ServerMain.namedThreads("parse-worker-"));
        server.setExecutor(executor);
        server.start();
        return new ParseServer(server, executor, parse, liveSet);
    }

    /**
     * The session store the server was started with.
     *
     * @return the store; {@link LiveSet#NONE} without {@code --live-set}
     */
    LiveSet liveSet() {
        return liveSet;
    }

    /**
     * The port actually bound, which differs from the requested one when that was 0.
     *
     * @return the listening port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * How many {@code POST /parse} requests were handled so far.
     *
     * @return the count
     */
    public long parseRequests() {
        return parseHandler.handled();
    }

    /**
     * Stops accepting connections, gives exchanges in flight up to a second to finish, then stops the workers.
     * Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(1);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts the server, announces {@code LISTENING <port>} on stdout and serves until SIGTERM (or, with
     * {@code --exit-on-stdin-close}, until stdin reaches end of file). A bad argument, or a live set that does not
     * fit in the heap, is reported in one line on stderr and ends the process with status 2.
     *
     * @param args {@value ParseServerOptions#USAGE_ARGUMENTS}
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        ParseServerOptions options;
        try {
            options = ParseServerOptions.parse(args);
        } catch (ParseServerOptions.UsageException e) {
            System.err.println(TAG + " " + e.getMessage());
            System.err.println(ParseServerOptions.USAGE);
            System.exit(2);
            return;
        }
        long fillStart = System.nanoTime();
        ParseServer server;
        try {
            server = start(options);
        } catch (OutOfMemoryError e) {
            // Only the live set is big enough to fail here, and it is unreachable again once start() has thrown.
            System.err.println(TAG + " --live-set " + options.liveSetMib() + " does not fit in this JVM's "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB maximum heap with this collector;"
                    + " accepted: a smaller --live-set, or a larger -Xmx");
            System.exit(2);
            return;
        }
        if (options.liveSetMib() > 0) {
            System.err.println(TAG + " " + server.liveSet.describe() + "; filled in "
                    + (System.nanoTime() - fillStart) / 1_000_000 + " ms");
        }
        ServerMain.serve(options.serverMainOptions(), server.port(), TAG, "serving POST /parse and GET /stats on"
                + " 127.0.0.1:" + server.port() + " with " + options.threads() + " threads, a "
                + options.bodyBuffer() + "-byte body buffer and " + (options.liveSetMib() == 0 ? "no live set"
                : "a " + options.liveSetMib() + " MiB live set") + "; shelf active="
                + dev.shelf.Shelf.isActive(), () -> {
                    server.close();
                    System.err.println(TAG + " stopped after " + server.parseRequests() + " parse requests");
                });
    }
}
