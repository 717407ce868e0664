package dev.shelf.sample.http;

import dev.shelf.sample.ServerMain;

/**
 * {@link ParseServer}'s command line: {@value #USAGE_ARGUMENTS}.
 *
 * <p>The HTTP service has two options the ingest service does not, so it parses its own command line instead of
 * {@link ServerMain.Options#parse}: that parser knows only {@code [port [threads]] [--exit-on-stdin-close]} and would
 * print a usage line without them. Every mistake becomes a {@link UsageException} whose message is one line naming
 * the argument and what is accepted; {@code main} prints it with the usage line and exits with status 2, so a typo in
 * a benchmark script never ends in a stack trace or, worse, in a server quietly running with a default.
 *
 * <p>Options take their value as the next argument or after {@code =}: {@code --live-set 100} or
 * {@code --live-set=100}.
 *
 * @param port             the port, 0 for any free one
 * @param threads          worker threads
 * @param exitOnStdinClose whether to exit when stdin reaches end of file
 * @param bodyBuffer       the length of each request's owned body buffer, in bytes ({@code --body-buffer})
 * @param liveSetMib       the size of the in-memory session store, in MiB; 0 for none ({@code --live-set})
 */
public record ParseServerOptions(int port, int threads, boolean exitOnStdinClose, int bodyBuffer, int liveSetMib) {

    /** Everything after the class name in the usage line. */
    public static final String USAGE_ARGUMENTS =
            "[port [threads]] [--body-buffer BYTES] [--live-set MIB] [--exit-on-stdin-close]";

    /** The usage line {@code main} prints after a mistake. */
    public static final String USAGE = "usage: ParseServer " + USAGE_ARGUMENTS;

    /**
     * The largest {@code --body-buffer}: the largest body is 2 MiB; 64 MiB leaves room for experiments
     * without letting a typo (an extra zero or two) ask for a buffer per worker thread that no heap holds.
     */
    static final int MAX_BODY_BUFFER = 64 * 1024 * 1024;

    /**
     * The largest {@code --live-set} as a share of the maximum heap. The store is meant to be a large part of the heap
     * (the benchmarks use about 40%), but the requests need room too, and with the Parallel collector the old
     * generation is only about two thirds of the heap: beyond three quarters the store either does not fit or leaves
     * a service that does nothing but collect.
     */
    static final double MAX_LIVE_SET_SHARE = 0.75;

    /**
     * Validates the values; {@link #parse} reports the same problems with the option's name.
     *
     * @param port             the port, 0 to 65535
     * @param threads          worker threads, at least 1
     * @param exitOnStdinClose whether to exit when stdin closes
     * @param bodyBuffer       bytes, 1 to {@link #MAX_BODY_BUFFER}
     * @param liveSetMib       MiB, at least 0
     */
    public ParseServerOptions {
        if (port < 0 || port > 65535 || threads < 1 || bodyBuffer < 1 || bodyBuffer > MAX_BODY_BUFFER
                || liveSetMib < 0) {
            throw new IllegalArgumentException("port 0..65535, threads >= 1, bodyBuffer 1.." + MAX_BODY_BUFFER
                    + " and liveSetMib >= 0 required: " + port + ", " + threads + ", " + bodyBuffer + ", "
                    + liveSetMib);
        }
    }

    /**
     * The defaults: a free port, {@link ParseServer#DEFAULT_THREADS} threads, a 16 KiB body buffer, no live set.
     *
     * @return the options of {@code ParseServer} with no arguments
     */
    public static ParseServerOptions defaults() {
        return new ParseServerOptions(0, ParseServer.DEFAULT_THREADS, false, ParseRequest.DEFAULT_BODY_CAPACITY, 0);
    }

    /**
     * The same options with another port and thread count.
     *
     * @param newPort    the port
     * @param newThreads worker threads
     * @return a copy
     */
    public ParseServerOptions withPortAndThreads(int newPort, int newThreads) {
        return new ParseServerOptions(newPort, newThreads, exitOnStdinClose, bodyBuffer, liveSetMib);
    }

    /**
     * The same options with another body buffer and live set.
     *
     * @param newBodyBuffer the body buffer's length in bytes
     * @param newLiveSetMib the live set in MiB
     * @return a copy
     */
    public ParseServerOptions withBodyBufferAndLiveSet(int newBodyBuffer, int newLiveSetMib) {
        return new ParseServerOptions(port, threads, exitOnStdinClose, newBodyBuffer, newLiveSetMib);
    }

    /** @return the options as the shared server start-up code ({@link ServerMain#serve}) takes them */
    ServerMain.Options serverMainOptions() {
        return new ServerMain.Options(port, threads, exitOnStdinClose);
    }

    /** A command line mistake; the message is one line naming the argument and what it accepts. */
    public static final class UsageException extends Exception {

        private static final long serialVersionUID = 1L;

        /** @param message what was wrong and what is accepted */
        UsageException(String message) {
            super(message, null, false, false); // reported as text, never as a stack trace
        }
    }

    /**
     * Parses the command line against this JVM's maximum heap.
     *
     * @param args the arguments
     * @return the options
     * @throws UsageException if an argument is unknown, missing its value or out of range
     */
    public static ParseServerOptions parse(String[] args) throws UsageException {
        return parse(args, Runtime.getRuntime().maxMemory());
    }

    /**
     * Parses the command line.
     *
     * @param args         the arguments
     * @param maxHeapBytes the heap the live set must fit in ({@link Runtime#maxMemory()})
     * @return the options
     * @throws UsageException if an argument is unknown, missing its value or out of range
     */
    static ParseServerOptions parse(String[] args, long maxHeapBytes) throws UsageException {
        ParseServerOptions defaults = defaults();
        int port = defaults.port();
        int threads = defaults.threads();
        boolean exitOnStdinClose = false;
        int bodyBuffer = defaults.bodyBuffer();
        int liveSetMib = 0;
        long maxLiveSetMib = (long) (maxHeapBytes / (1024.0 * 1024.0) * MAX_LIVE_SET_SHARE);
        int positional = 0;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--exit-on-stdin-close")) {
                exitOnStdinClose = true;
            } else if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg : arg.substring(0, eq);
                String value;
                if (!name.equals("--body-buffer") && !name.equals("--live-set")) {
                    throw new UsageException("unknown option " + name + "; the options are --body-buffer BYTES,"
                            + " --live-set MIB and --exit-on-stdin-close");
                }
                String accepted = name.equals("--body-buffer")
                        ? "BYTES, the body buffer's length: an integer from 1 to " + MAX_BODY_BUFFER + " (64 MiB)"
                        : "MIB, the live set's size: an integer from 0 to " + maxLiveSetMib
                        + " (three quarters of this JVM's " + maxHeapBytes / (1024 * 1024)
                        + " MiB maximum heap; raise -Xmx for more)";
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException(name + " needs a value: " + accepted);
                }
                if (name.equals("--body-buffer")) {
                    bodyBuffer = (int) integer(name, value, 1, MAX_BODY_BUFFER, accepted);
                } else {
                    liveSetMib = (int) integer(name, value, 0, maxLiveSetMib, accepted);
                }
            } else if (positional == 0) {
                port = (int) integer("port", arg, 0, 65535, "an integer from 0 to 65535 (0 picks a free port)");
                positional++;
            } else if (positional == 1) {
                threads = (int) integer("threads", arg, 1, 10_000, "an integer from 1 to 10000");
                positional++;
            } else {
                throw new UsageException("unexpected argument " + arg + "; at most two plain arguments, port and"
                        + " threads, are accepted");
            }
        }
        return new ParseServerOptions(port, threads, exitOnStdinClose, bodyBuffer, liveSetMib);
    }

    /** Parses {@code value} as an integer in {@code [min, max]}, or says what {@code what} accepts. */
    private static long integer(String what, String value, long min, long max, String accepted)
            throws UsageException {
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(what + " was '" + value + "'; accepted: " + accepted);
        }
        if (v < min || v > max) {
            throw new UsageException(what + " was " + v + ", out of range; accepted: " + accepted);
        }
        return v;
    }
}
