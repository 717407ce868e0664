package dev.shelf.it;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A client connection to a sample app on 127.0.0.1, used by one thread at a time: what the HTTP client and the ingest
 * protocol client have in common. The socket is opened on the first exchange (Nagle off, the timeout on connect and
 * on every read), and closed when an exchange fails, so that the next one starts on a fresh connection instead of
 * reading the remains of a broken one.
 *
 * <p>Loopback only, by construction: there is no way to pass a host.
 */
abstract class LoopbackConnection implements Closeable {

    /** Reads one reply from {@link #in()}. */
    @FunctionalInterface
    interface ReplyReader<T> {
        T read() throws IOException;
    }

    private final int port;
    private final int timeoutMillis;
    private final int bufferBytes;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /**
     * @param port        the app's port on 127.0.0.1
     * @param timeout     how long to wait to connect and for each read before failing the exchange
     * @param bufferBytes the read buffer's size
     */
    LoopbackConnection(int port, Duration timeout, int bufferBytes) {
        this.port = port;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
        this.bufferBytes = bufferBytes;
    }

    /** @return the app's port */
    final int port() {
        return port;
    }

    /** @return the open connection's buffered input; only valid inside {@link #exchange} */
    final InputStream in() {
        return in;
    }

    /**
     * Sends a request in one write (one segment for small requests, no Nagle interplay) and reads the reply.
     *
     * @param request the whole request
     * @param reader  reads the reply from {@link #in()}
     * @param <T>     what the reply is read into
     * @return the reply
     * @throws IOException if the exchange fails; the connection is closed and the next exchange reconnects
     */
    final <T> T exchange(byte[] request, ReplyReader<T> reader) throws IOException {
        try {
            if (socket == null) {
                connect();
            }
            out.write(request);
            out.flush();
            return reader.read();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
            in = new BufferedInputStream(s.getInputStream(), bufferBytes);
            out = s.getOutputStream();
            socket = s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Closes the socket, if open. The next exchange opens a new one. */
    @Override
    public final void close() {
        Socket s = socket;
        socket = null;
        in = null;
        out = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
