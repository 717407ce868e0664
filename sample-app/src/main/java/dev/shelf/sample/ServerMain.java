package dev.shelf.sample;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What both sample servers' {@code main} methods share: the command line {@code [port [threads]]
 * [--exit-on-stdin-close]}, the one {@code LISTENING <port>} line on stdout that scripts and tests wait for, a
 * shutdown hook, and — with {@code --exit-on-stdin-close} — exiting when the parent process closes stdin.
 *
 * <p>{@code --exit-on-stdin-close} lets a parent (the integration tests) tie the server's life to its own: when the
 * parent dies, the pipe closes and the server exits instead of lingering and holding a port. It is opt-in because a
 * server started in the background of a shell has an already-closed stdin.
 *
 * <p>Only the command line configures the servers, no system properties: the Shelf agent refuses {@code -Dshelf.*}
 * properties it does not know, so a sample that read {@code -Dshelf.sample.port} could not be started with the agent.
 */
public final class ServerMain {

    /** The line prefix announcing the port; the integration tests match it. */
    public static final String LISTENING = "LISTENING";

    private ServerMain() {
    }

    /**
     * The parsed command line.
     *
     * @param port             the port, 0 for any free one
     * @param threads          worker threads
     * @param exitOnStdinClose whether to exit when stdin reaches end of file
     */
    public record Options(int port, int threads, boolean exitOnStdinClose) {

        /**
         * Parses {@code [port [threads]] [--exit-on-stdin-close]}; on a bad argument prints the problem and the usage
         * line to stderr and exits with status 2.
         *
         * @param args           the arguments
         * @param defaultThreads threads when none are given
         * @param name           the server's class name, for the usage line
         * @param tag            the server's log tag, e.g. {@code [ingest]}
         * @return the options
         */
        public static Options parse(String[] args, int defaultThreads, String name, String tag) {
            int port = 0;
            int threads = defaultThreads;
            boolean exitOnStdinClose = false;
            int positional = 0;
            for (String arg : args) {
                if (arg.equals("--exit-on-stdin-close")) {
                    exitOnStdinClose = true;
                } else if (positional == 0) {
                    port = parseInt(arg, "port", name, tag);
                    positional++;
                } else if (positional == 1) {
                    threads = parseInt(arg, "threads", name, tag);
                    positional++;
                } else {
                    usage("unexpected argument: " + arg, name, tag);
                }
            }
            return new Options(port, threads, exitOnStdinClose);
        }
    }

    /**
     * Announces a started server and serves until SIGTERM or, with {@code --exit-on-stdin-close}, until stdin closes.
     *
     * @param options  the parsed command line
     * @param port     the port the server bound
     * @param tag      the server's log tag, e.g. {@code [ingest]}
     * @param serving  the stderr line saying what it serves
     * @param shutdown run by the shutdown hook: closes the server and says what it did
     */
    public static void serve(Options options, int port, String tag, String serving, Runnable shutdown) {
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "sample-server-shutdown"));
        System.out.println(LISTENING + " " + port);
        System.out.flush();
        System.err.println(tag + " " + serving);
        if (options.exitOnStdinClose()) {
            waitForEndOfInput(System.in);
            System.err.println(tag + " stdin closed, shutting down");
            System.exit(0); // runs the shutdown hook, which closes the server
        }
        // Otherwise main returns and the server's non-daemon threads keep the JVM up until SIGTERM.
    }

    /**
     * Names threads {@code <prefix>1}, {@code <prefix>2}, ..., so that thread dumps and profiles say which threads
     * serve requests.
     *
     * @param prefix e.g. {@code parse-worker-}
     * @return the factory
     */
    public static ThreadFactory namedThreads(String prefix) {
        AtomicInteger next = new AtomicInteger(1);
        return r -> new Thread(r, prefix + next.getAndIncrement());
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

    private static int parseInt(String value, String what, String name, String tag) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            usage(what + " must be an integer, was " + value, name, tag);
            return -1; // unreachable
        }
    }

    private static void usage(String problem, String name, String tag) {
        System.err.println(tag + " " + problem);
        System.err.println("usage: " + name + " [port [threads]] [--exit-on-stdin-close]");
        System.exit(2);
    }
}
