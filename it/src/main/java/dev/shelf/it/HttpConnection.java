package dev.shelf.it;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection to 127.0.0.1, used by one thread at a time.
 *
 * <p>A deliberately small client rather than {@link java.net.http.HttpClient}: on a two-core machine the load
 * generator shares the CPU with the server it measures, and the JDK client's asynchronous machinery (selector
 * thread, futures, header maps per request) would take a noticeable share and add its own jitter to the latency
 * figures. Here each request is one socket write and the response is framed by {@code Content-Length} (or chunked
 * encoding, for completeness). Each load worker owns one connection, so "16 clients" means 16 TCP connections, as it
 * would for 16 real clients. Connection handling (loopback only, reconnect after a failure) is
 * {@link LoopbackConnection}'s.
 */
public final class HttpConnection extends LoopbackConnection {

    /** A response: status and the whole body. */
    public record Response(int status, byte[] body) {

        /**
         * The body as text.
         *
         * @return the body decoded as UTF-8
         */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Creates a connection; the socket is opened on the first request, and re-opened after the server closes it.
     *
     * @param port    the server's port on 127.0.0.1
     * @param timeout how long to wait to connect and for each read before failing the request
     */
    public HttpConnection(int port, Duration timeout) {
        super(port, timeout, 16 * 1024);
    }

    /**
     * Sends {@code POST path} with a JSON body.
     *
     * @param path the request path, e.g. {@code /parse}
     * @param body the request body
     * @return the response
     * @throws IOException if the exchange fails; the connection is closed and the next request reconnects
     */
    public Response post(String path, byte[] body) throws IOException {
        return exchange("POST", path, body);
    }

    /**
     * Sends {@code GET path}.
     *
     * @param path the request path, e.g. {@code /stats}
     * @return the response
     * @throws IOException if the exchange fails; the connection is closed and the next request reconnects
     */
    public Response get(String path) throws IOException {
        return exchange("GET", path, null);
    }

    private Response exchange(String method, String path, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(128).append(method).append(' ').append(path)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:").append(port()).append("\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        int bodyLength = body == null ? 0 : body.length;
        byte[] request = new byte[headBytes.length + bodyLength];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        if (body != null) {
            System.arraycopy(body, 0, request, headBytes.length, bodyLength);
        }
        return exchange(request, this::readResponse);
    }

    private Response readResponse() throws IOException {
        String statusLine = readLine();
        // "HTTP/1.1 200 OK"
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("bad status line: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + statusLine);
        }
        long contentLength = -1;
        boolean chunked = false;
        boolean close = statusLine.startsWith("HTTP/1.0");
        String line;
        while (!(line = readLine()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + line);
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        byte[] body;
        if (chunked) {
            body = readChunked();
        } else if (contentLength >= 0) {
            body = in().readNBytes(Math.toIntExact(contentLength));
            if (body.length != contentLength) {
                throw new EOFException("connection closed after " + body.length + " of " + contentLength
                        + " body bytes");
            }
        } else if (status == 204 || status == 304 || status / 100 == 1) {
            body = new byte[0];
        } else {
            body = in().readAllBytes(); // delimited by the server closing the connection
            close = true;
        }
        if (close) {
            close();
        }
        return new Response(status, body);
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailers: ignored
                }
                return body.toByteArray();
            }
            byte[] chunk = in().readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("connection closed inside a chunk");
            }
            body.write(chunk);
            if (!readLine().isEmpty()) {
                throw new IOException("missing CRLF after chunk");
            }
        }
    }

    /** Reads one CRLF- (or LF-) terminated line of ASCII, without the terminator. */
    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int b = in().read();
            if (b < 0) {
                throw new EOFException(sb.length() == 0 ? "connection closed by server" : "connection closed mid-line");
            }
            if (b == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            if (sb.length() > 8192) {
                throw new IOException("header line too long");
            }
            sb.append((char) b);
        }
    }
}
