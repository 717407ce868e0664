package dev.shelf.sample.http;

import com.sun.net.httpserver.HttpServer;
import dev.shelf.sample.RequestCounters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sample service: {@code POST /parse} and {@code GET /stats} on the JDK's built-in HTTP server.
 *
 * <p>Run it as
 * <pre>{@code
 * java [-javaagent:agent/target/shelf-agent.jar] -cp <sample-app jar + deps> dev.shelf.sample.http.ParseServer \
 *      [port [threads]] [--exit-on-stdin-close]
 * }</pre>
 * or set {@code -Dshelf.sample.port}, {@code -Dshelf.sample.threads} and {@code -Dshelf.sample.exitOnStdinClose}.
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
    public static final String LISTENING = "LISTENING";

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
        ExecutorService executor = Executors.newFixedThreadPool(threads, new WorkerThreads());
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
     * @param args {@code [port [threads]] [--exit-on-stdin-close]}; each also has a system property, see the class
     *             comment
     * @throws IOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.getInteger("shelf.sample.port", 0);
        int threads = Integer.getInteger("shelf.sample.threads", DEFAULT_THREADS);
        boolean exitOnStdinClose = Boolean.getBoolean("shelf.sample.exitOnStdinClose");
        int positional = 0;
        for (String arg : args) {
            if (arg.equals("--exit-on-stdin-close")) {
                exitOnStdinClose = true;
            } else if (positional == 0) {
                port = parseInt(arg, "port");
                positional++;
            } else if (positional == 1) {
                threads = parseInt(arg, "threads");
                positional++;
            } else {
                usage("unexpected argument: " + arg);
            }
        }

        ParseServer server = start(port, threads);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.err.println("[sample-app] stopped after " + server.parseRequests() + " parse requests");
        }, "parse-server-shutdown"));
        PrintStream out = System.out;
        out.println(LISTENING + " " + server.port());
        out.flush();
        System.err.println("[sample-app] serving POST /parse and GET /stats on 127.0.0.1:" + server.port()
                + " with " + threads + " threads; shelf active=" + dev.shelf.Shelf.isActive());

        if (exitOnStdinClose) {
            waitForEndOfInput(System.in);
            System.err.println("[sample-app] stdin closed, shutting down");
            System.exit(0); // runs the shutdown hook, which closes the server
        }
        // Otherwise main returns and the server's non-daemon threads keep the JVM up until SIGTERM.
    }

    /** Blocks until {@code in} is at end of file or fails; whatever is read is ignored. */
    private static void waitForEndOfInput(InputStream in) {
        byte[] sink = new byte[256];
        try {
            while (in.read(sink) >= 0) {
                // discard
            }
        } catch (IOException e) {
            // a broken stdin means the parent is gone, too
        }
    }

    private static int parseInt(String value, String what) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            usage(what + " must be an integer, was " + value);
            return -1; // unreachable
        }
    }

    private static void usage(String problem) {
        System.err.println("[sample-app] " + problem);
        System.err.println("usage: ParseServer [port [threads]] [--exit-on-stdin-close]");
        System.exit(2);
    }

    /** Names the workers, so that thread dumps and allocation profiles say which threads serve requests. */
    private static final class WorkerThreads implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger(1);

        @Override
        public Thread newThread(Runnable r) {
            return new Thread(r, "parse-worker-" + next.getAndIncrement());
        }
    }
}
