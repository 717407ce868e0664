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
 *      [port [threads]] [--exit-on-stdin-close]
 * }</pre>
 * Port 0 (the default) picks a free port. Once the server accepts connections it prints exactly one line,
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
    private final AtomicBoolean closed = new AtomicBoolean();

    private ParseServer(HttpServer server, ExecutorService executor, ParseHandler parseHandler) {
        this.server = server;
        this.executor = executor;
        this.parseHandler = parseHandler;
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
        RequestParser parser = new RequestParser();
        RequestCounters counters = new RequestCounters(ParseHandler.HANDLER_SCOPE);
        ParseHandler parse = new ParseHandler(parser, counters);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server.createContext("/parse", parse);
        server.createContext("/stats", new StatsHandler(parser.jsonFactory(), counters));
        ExecutorService executor = Executors.newFixedThreadPool(threads, ServerMain.namedThreads("parse-worker-"));
        server.setExecutor(executor);
        server.start();
        return new ParseServer(server, executor, parse);
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
     * {@code --exit-on-stdin-close}, until stdin reaches end of file).
     *
     * @param args {@code [port [threads]] [--exit-on-stdin-close]}
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        ServerMain.Options options = ServerMain.Options.parse(args, DEFAULT_THREADS, "ParseServer", "[sample-app]");
        ParseServer server = start(options.port(), options.threads());
        ServerMain.serve(options, server.port(), "[sample-app]", "serving POST /parse and GET /stats on 127.0.0.1:"
                + server.port() + " with " + options.threads() + " threads; shelf active="
                + dev.shelf.Shelf.isActive(), () -> {
                    server.close();
                    System.err.println("[sample-app] stopped after " + server.parseRequests() + " parse requests");
                });
    }
}
