package dev.shelf.sample.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the ingest protocol's reply lines into one buffer per connection and flushes each line: nothing allocated
 * per reply.
 */
final class ReplyWriter {

    private final OutputStream out;
    private final byte[] buf = new byte[512];
    private int n;

    /**
     * Creates a writer.
     *
     * @param out the connection's stream; not closed here
     */
    ReplyWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * Sends {@code OK <batchId> <accepted> <rejected> <quantity> <amountEurCents> <digest>}.
     *
     * @param batchId the batch's id
     * @param t       its totals
     * @throws IOException if the client went away
     */
    void ok(long batchId, Totals t) throws IOException {
        ascii("OK ");
        number(batchId);
        buf[n++] = ' ';
        number(t.accepted);
        buf[n++] = ' ';
        number(t.rejected);
        buf[n++] = ' ';
        number(t.quantity);
        buf[n++] = ' ';
        number(t.amountEurCents);
        buf[n++] = ' ';
        number(t.digest);
        endLine();
    }

    /**
     * Sends {@code ERR <message>}.
     *
     * @param message what went wrong; line breaks are replaced by spaces
     * @throws IOException if the client went away
     */
    void error(String message) throws IOException {
        byte[] text = ("ERR " + message.replace('\n', ' ').replace('\r', ' ')).getBytes(StandardCharsets.UTF_8);
        line(text, 0, Math.min(text.length, 4096));
    }

    /**
     * Sends raw bytes as one line.
     *
     * @param bytes  the content, without terminator
     * @param offset where it starts
     * @param length how long it is
     * @throws IOException if the client went away
     */
    void line(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        out.write('\n');
        out.flush();
    }

    private void ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            buf[n++] = (byte) s.charAt(i);
        }
    }

    private void number(long v) {
        if (v == Long.MIN_VALUE) {
            ascii("-9223372036854775808");
            return;
        }
        if (v < 0) {
            buf[n++] = '-';
            v = -v;
        }
        int len = 1;
        for (long x = v; x >= 10; x /= 10) {
            len++;
        }
        for (int i = n + len - 1; i >= n; i--) {
            buf[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        n += len;
    }

    private void endLine() throws IOException {
        buf[n++] = '\n';
        out.write(buf, 0, n);
        out.flush();
        n = 0;
    }
}
