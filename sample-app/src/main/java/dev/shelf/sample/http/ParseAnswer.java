package dev.shelf.sample.http;

import dev.shelf.sample.Digest;

/**
 * Renders {@code {"id":<id>,"tokens":<n>,"digest":<d>,"valid":<bool>}} into a request's own response buffer, from
 * the request's own state and without making a {@code String}.
 */
public final class ParseAnswer {

    private ParseAnswer() {
    }

    /**
     * Renders the answer into {@code req.response()} and sets its length. {@code digest} is
     * {@link Digest#ofJoined(CharSequence)} of {@code req.tokenText()}: the load generator computes the same value
     * from the tokens it sent, so a token left over from an earlier request, or one missing, changes the answer.
     * Written byte by byte into the request's own buffer: a fixed, tiny, ASCII document needs neither a JSON
     * generator nor a fresh array per request.
     *
     * @param req a parsed request
     */
    public static void render(ParseTarget req) {
        byte[] out = req.response();
        int n = 0;
        n = ascii(out, n, "{\"id\":");
        n = digits(out, n, req.id());
        n = ascii(out, n, ",\"tokens\":");
        n = digits(out, n, req.tokens());
        n = ascii(out, n, ",\"digest\":");
        n = digits(out, n, Digest.ofJoined(req.tokenText()));
        n = ascii(out, n, req.valid() ? ",\"valid\":true}" : ",\"valid\":false}");
        req.responseLength(n);
    }

    private static int ascii(byte[] out, int at, String s) {
        for (int i = 0, len = s.length(); i < len; i++) {
            out[at++] = (byte) s.charAt(i);
        }
        return at;
    }

    /** Writes {@code v} in decimal at {@code at}; returns the index after it. */
    static int digits(byte[] out, int at, long v) {
        if (v == Long.MIN_VALUE) {
            return ascii(out, at, "-9223372036854775808");
        }
        if (v < 0) {
            out[at++] = '-';
            v = -v;
        }
        int len = 1;
        for (long x = v; x >= 10; x /= 10) {
            len++;
        }
        for (int i = at + len - 1; i >= at; i--) {
            out[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return at + len;
    }
}
