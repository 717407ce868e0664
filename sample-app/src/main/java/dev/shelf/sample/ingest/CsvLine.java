package dev.shelf.sample.ingest;

import dev.shelf.Pooled;

/**
 * One line of CSV, split into fields: the general-purpose half of a parsed record, meant to be extended by a typed
 * record ({@link OrderLine}).
 *
 * <p>The fields' characters are kept back to back in {@link #text}, unquoted and decoded from UTF-8, and
 * {@link #ends} says where each one ends; nothing is a {@code String}. That is how a record type is written when
 * it is created for every line of a feed: the per-line work goes into buffers the object owns. With Shelf those
 * buffers are {@code final} fields the constructor makes itself, so the agent empties and keeps them when the object
 * is reused — a pipeline that says {@code new OrderLine(n)} for every line allocates nothing per line once the
 * pools are warm.
 *
 * <p>The dialect is RFC 4180 without embedded line breaks: fields separated by {@code ,}; a field may be enclosed in
 * {@code "}, inside which {@code ,} is literal and {@code ""} stands for one {@code "}. A line that breaks those
 * rules, or has more than {@link #MAX_FIELDS} fields, is kept with {@link #malformed} saying why.
 *
 * <p>A pooled class with a constructor argument and a pooled subclass: the agent re-initialises
 * {@code new OrderLine(n)} by running this constructor's code again with the new {@code n}.
 */
@Pooled(maxPerThread = CsvLine.MAX_IDLE)
public class CsvLine {

    /** Most fields a line may have. */
    public static final int MAX_FIELDS = 16;

    /** Idle lines one thread keeps: a whole batch's worth, since a batch holds all its lines at once. */
    static final int MAX_IDLE = 256;

    /** The fields' characters, back to back. Owned: emptied and kept (capacity and all) on reuse. */
    final StringBuilder text = new StringBuilder(128);

    /** {@code ends[i]} is the index in {@link #text} after field {@code i}. Owned: zeroed and kept on reuse. */
    final int[] ends = new int[MAX_FIELDS];

    /** How many fields the line has. */
    int fields;

    /** The line's number in its feed (1-based), for messages. */
    final long lineNumber;

    /** Why the line is not valid CSV, or {@code null}. */
    String malformed;

    /**
     * Creates an empty line.
     *
     * @param lineNumber the line's number in its feed
     */
    public CsvLine(long lineNumber) {
        this.lineNumber = lineNumber;
    }

    /**
     * Splits {@code buf[from, to)} (one line, without its terminator) into fields, appending to this object's
     * buffers. Call once per object: a fresh line is empty, and so must a reused one be — splitting does not clear
     * first, so leftovers from a bad re-initialisation would show.
     *
     * @param buf  UTF-8 bytes
     * @param from first byte of the line
     * @param to   byte after the line
     * @return {@code true} if the line is well-formed CSV; otherwise {@link #malformed} says why
     */
    public boolean split(byte[] buf, int from, int to) {
        int i = from;
        while (true) {
            if (fields == MAX_FIELDS) {
                malformed = "more than " + MAX_FIELDS + " fields";
                return false;
            }
            if (i < to && buf[i] == '"') {
                i++; // quoted field: up to the closing quote, "" is a literal quote
                while (true) {
                    if (i >= to) {
                        malformed = "unterminated quoted field";
                        return false;
                    }
                    byte b = buf[i];
                    if (b == '"') {
                        if (i + 1 < to && buf[i + 1] == '"') {
                            text.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    i = decode(buf, i, to);
                }
                if (i < to && buf[i] != ',') {
                    malformed = "text after a closing quote";
                    return false;
                }
            } else {
                while (i < to && buf[i] != ',') {
                    if (buf[i] == '"') {
                        malformed = "quote inside an unquoted field";
                        return false;
                    }
                    i = decode(buf, i, to);
                }
            }
            ends[fields++] = text.length();
            if (i >= to) {
                return true;
            }
            i++; // the comma; a trailing comma means one more, empty, field
        }
    }

    /** Appends the UTF-8 sequence at {@code buf[i]} as UTF-16; a malformed sequence becomes U+FFFD. */
    private int decode(byte[] buf, int i, int to) {
        int b = buf[i] & 0xff;
        if (b < 0x80) {
            text.append((char) b);
            return i + 1;
        }
        int need;
        int cp;
        if (b >= 0xc2 && b <= 0xdf) {
            need = 1;
            cp = b & 0x1f;
        } else if (b >= 0xe0 && b <= 0xef) {
            need = 2;
            cp = b & 0x0f;
        } else if (b >= 0xf0 && b <= 0xf4) {
            need = 3;
            cp = b & 0x07;
        } else {
            text.append('\ufffd');
            return i + 1;
        }
        for (int k = 1; k <= need; k++) {
            int c = i + k < to ? buf[i + k] & 0xff : 0;
            if ((c & 0xc0) != 0x80) { // truncated or not a continuation byte: resume at that byte
                text.append('\ufffd');
                return i + k;
            }
            cp = (cp << 6) | (c & 0x3f);
        }
        if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (need == 3 && (cp < 0x10000
                || cp > 0x10ffff))) {
            text.append('\ufffd');
        } else {
            text.appendCodePoint(cp);
        }
        return i + need + 1;
    }

    /** @return how many fields the line has */
    public int fields() {
        return fields;
    }

    /**
     * @param f a field index
     * @return the index in {@link #text()} where field {@code f} starts
     */
    public int start(int f) {
        return f == 0 ? 0 : ends[f - 1];
    }

    /**
     * @param f a field index
     * @return the index in {@link #text()} after field {@code f}
     */
    public int end(int f) {
        return ends[f];
    }

    /** @return all fields' characters, back to back; read a field as {@code text().subSequence(start, end)} */
    public CharSequence text() {
        return text;
    }

    /**
     * Reads field {@code f} as a decimal integer, without making a String.
     *
     * @param f   a field index
     * @param min the smallest acceptable value
     * @param max the largest acceptable value
     * @return the value, or {@link Long#MIN_VALUE} if the field is empty, not a plain decimal integer (an optional
     *         leading {@code -}, then digits), too big for a {@code long}, or out of {@code [min, max]}
     */
    public long longField(int f, long min, long max) {
        int i = start(f);
        int end = end(f);
        boolean negative = i < end && text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        if (i == end) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            int d = c - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                return Long.MIN_VALUE; // does not fit in a long
            }
            v = v * 10 + d;
        }
        v = negative ? -v : v;
        return v < min || v > max ? Long.MIN_VALUE : v;
    }

    /**
     * Whether field {@code f} is exactly {@code s}.
     *
     * @param f a field index
     * @param s the text to compare with
     * @return {@code true} if equal
     */
    public boolean fieldEquals(int f, String s) {
        int start = start(f);
        int len = end(f) - start;
        if (len != s.length()) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            if (text.charAt(start + k) != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
