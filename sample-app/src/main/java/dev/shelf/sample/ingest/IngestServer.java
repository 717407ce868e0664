package dev.shelf.sample.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import dev.shelf.sample.RequestCounters;
import dev.shelf.sample.ServerMain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The second sample app: a batch ingest service. Clients stream batches of CSV order lines over a plain TCP
 * connection; each batch goes through a parse → validate/enrich → aggregate pipeline built from pooled objects
 * ({@link Batch}, {@link OrderLine} extending {@link CsvLine}, {@link Totals}), and is answered with its totals.
 * The protocol is in {@link IngestSession}.
 *
 * <p>Run it as
 * <pre>{@code
 * java [-javaagent:agent/target/shelf-agent.jar] -cp <sample-app jar + deps> dev.shelf.sample.ingest.IngestServer \
 *      [port [threads]] [--exit-on-stdin-close]
 * }</pre>
 * with the same conventions as {@link dev.shelf.sample.http.ParseServer}: 127.0.0.1 only, port 0 picks a free port,
 * exactly one {@code LISTENING <port>} line on stdout once connections are accepted, diagnostics on stderr,
 * {@code --exit-on-stdin-close} to die with a parent process, SIGTERM to stop.
 *
 * <p>Where the HTTP app's per-request garbage is partly the JDK HTTP server's, here the app owns the whole path:
 * one thread per connection (from a fixed pool: Shelf's pools are per thread, and long-lived threads are what make
 * reuse pay) reads lines into a per-connection buffer, and the only per-line objects are the pooled order lines.
 * Without the agent those are the dominant garbage; with it there is almost none.
 */
public final class IngestServer implements AutoCloseable {

    /** The app name in the stats document. */
    public static final String APP = "csv-ingest";

    /** Worker threads (= connections served at once) when none are configured. */
    public static final int DEFAULT_THREADS = 16;

    private final ServerSocket serverSocket;
    private final ExecutorService workers;
    private final RequestCounters counters;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;

    private IngestServer(ServerSocket serverSocket, int threads) {
        this.serverSocket = serverSocket;
        this.workers = Executors.newFixedThreadPool(threads, ServerMain.namedThreads("ingest-worker-"));
        this.counters = new RequestCounters(IngestSession.HANDLER_SCOPE);
        JsonFactory json = new JsonFactory();
        this.acceptor = new Thread(() -> accept(json), "ingest-acceptor");
    }

    /**
     * Starts a server on 127.0.0.1.
     *
     * @param port    the port, or 0 for any free one
     * @param threads worker threads, one per connection being served
     * @return the running server; {@link #close()} it when done
     * @throws IOException if the port cannot be bound
     */
    public static IngestServer start(int port, int threads) throws IOException {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, was " + threads);
        }
        ServerSocket ss = new ServerSocket();
        try {
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        } catch (IOException e) {
            ss.close();
            throw e;
        }
        IngestServer server = new IngestServer(ss, threads);
        server.acceptor.start();
        return server;
    }

    private void accept(JsonFactory json) {
        while (!closed.get()) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                if (closed.get()) {
                    return;
                }
                System.err.println("[ingest] accept failed: " + e);
                continue;
            }
            open.add(s);
            try {
                workers.execute(new IngestSession(s, counters, json, () -> open.remove(s)));
            } catch (RuntimeException e) { // rejected: shutting down
                open.remove(s);
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    /** @return the port actually bound */
    public int port() {
        return serverSocket.getLocalPort();
    }

    /** @return batches handled so far */
    public long batches() {
        return counters.requests();
    }

    /** @return lines handled so far, accepted and rejected */
    public long lines() {
        return counters.items();
    }

    /** Stops accepting, closes every connection and stops the workers. Calling it again does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(2, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
            acceptor.join(2000);
        } catch (InterruptedException e) {
            workers.shutdownNow();
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
        ServerMain.Options options = ServerMain.Options.parse(args, DEFAULT_THREADS, "IngestServer", "[ingest]");
        IngestServer server = start(options.port(), options.threads());
        ServerMain.serve(options, server.port(), "[ingest]", "listening on 127.0.0.1:" + server.port() + " with "
                + options.threads() + " workers", () -> {
                    server.close();
                    System.err.println("[ingest] stopped after " + server.batches() + " batches, " + server.lines()
                            + " lines");
                });
    }
}
