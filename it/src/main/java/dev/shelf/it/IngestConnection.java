package dev.shelf.it;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One connection to the ingest app's line protocol on 127.0.0.1, used by one thread at a time: send a batch (or
 * {@code STATS}), read the one reply line. Connection handling (loopback only, reconnect after a failure) is
 * {@link LoopbackConnection}'s.
 */
public final class IngestConnection extends LoopbackConnection {

    private static final byte[] STATS = "STATS\n".getBytes(StandardCharsets.US_ASCII);

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

    /**
     * Creates a connection; the socket is opened on the first exchange.
     *
     * @param port    the app's port on 127.0.0.1
     * @param timeout connect and read timeout
     */
    public IngestConnection(int port, Duration timeout) {
        super(port, timeout, 8 * 1024);
    }

    /**
     * Sends one request (a {@code BATCH} header and its lines, already encoded) and reads the reply line.
     *
     * @param request the bytes to send, ending with a line terminator
     * @return the reply line, without terminator
     * @throws IOException if the exchange fails; the connection is closed and the next one reconnects
     */
    public String exchange(byte[] request) throws IOException {
        return exchange(request, this::readLine);
    }

    /**
     * Asks for the app's statistics document.
     *
     * @return the JSON document
     * @throws IOException if the exchange fails
     */
    public byte[] stats() throws IOException {
        String reply = exchange(STATS);
        if (!reply.startsWith("{")) {
            throw new IOException("STATS answered: " + reply);
        }
        return reply.getBytes(StandardCharsets.UTF_8);
    }

    private String readLine() throws IOException {
        line.reset();
        while (true) {
            int b = in().read();
            if (b < 0) {
                throw new EOFException(line.size() == 0 ? "connection closed by the app" : "connection closed mid-line");
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            if (line.size() > 1 << 20) {
                throw new IOException("reply line too long");
            }
            line.write(b);
        }
    }
}
