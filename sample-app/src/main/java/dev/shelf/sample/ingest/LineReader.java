package dev.shelf.sample.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads {@code \n}-terminated lines (an optional {@code \r} before it is dropped) from a stream into one buffer, and
 * exposes each line as a range of that buffer: one buffer per connection, nothing allocated per line.
 */
final class LineReader {

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int limit;
    private int lineStart;
    private int lineEnd;
    private int lastIndex;

    /**
     * Creates a reader.
     *
     * @param in       the stream; not closed here
     * @param capacity the longest acceptable line, terminator included
     */
    LineReader(InputStream in, int capacity) {
        this.in = in;
        this.buf = new byte[capacity];
    }

    /**
     * Advances to the next line.
     *
     * @return {@code false} at a clean end of input (no partial line pending)
     * @throws IOException if reading fails, the input ends mid-line, or a line is longer than the buffer
     */
    boolean next() throws IOException {
        int scanFrom = pos;
        while (true) {
            for (int i = scanFrom; i < limit; i++) {
                if (buf[i] == '\n') {
                    lineStart = pos;
                    lineEnd = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    pos = i + 1;
                    return true;
                }
            }
            // No terminator in [pos, limit): make room and read more.
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buf.length) {
                throw new IOException("line longer than " + buf.length + " bytes");
            }
            scanFrom = limit;
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                if (limit == pos) {
                    return false;
                }
                throw new EOFException("input ended inside a line");
            }
            limit += n;
        }
    }

    /** @return the buffer holding the current line */
    byte[] buffer() {
        return buf;
    }

    /** @return the current line's first byte */
    int start() {
        return lineStart;
    }

    /** @return the index after the current line's last byte (terminator excluded) */
    int end() {
        return lineEnd;
    }

    /**
     * Whether the current line starts with an ASCII prefix.
     *
     * @param prefix the prefix
     * @return {@code true} if it does
     */
    boolean startsWith(String prefix) {
        if (lineEnd - lineStart < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (buf[lineStart + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the current line is exactly an ASCII word.
     *
     * @param word the word
     * @return {@code true} if it is
     */
    boolean is(String word) {
        return lineEnd - lineStart == word.length() && startsWith(word);
    }

    /**
     * Reads a non-negative decimal number from the current line; {@link #lastIndex()} then tells where it ended.
     *
     * @param from where the digits start
     * @return the value, or -1 if there are no digits there or the number does not fit in a {@code long}
     */
    long number(int from) {
        int i = from;
        long v = 0;
        while (i < lineEnd && buf[i] >= '0' && buf[i] <= '9') {
            int d = buf[i] - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                lastIndex = i;
                return -1;
            }
            v = v * 10 + d;
            i++;
        }
        lastIndex = i;
        return i == from ? -1 : v;
    }

    /** @return the index after the digits last read by {@link #number(int)} */
    int lastIndex() {
        return lastIndex;
    }
}
