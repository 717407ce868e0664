package dev.shelf.sample;

/**
 * A 64-bit FNV-1a digest over UTF-16 code units, for answers that prove what an app parsed.
 *
 * <p>Both sample apps answer with a digest of the text they kept in their (possibly pooled) objects, and the load
 * generator computes the same digest from what it sent. One leftover character, a missing field or a token from
 * another request changes the digest, so a reused object that was not exactly re-initialised shows up as a wrong
 * answer. It is not a cryptographic hash, only a cheap, allocation-free, order-sensitive fingerprint.
 *
 * <p>Stateless: a digest is a {@code long} threaded through the static methods, starting at {@link #START}.
 */
public final class Digest {

    /** The digest of nothing (FNV-1a's 64-bit offset basis). */
    public static final long START = 0xcbf29ce484222325L;

    /** FNV-1a's 64-bit prime. */
    private static final long PRIME = 0x100000001b3L;

    /** Separates parts (tokens, fields) so that {@code "ab","c"} and {@code "a","bc"} differ. */
    public static final char SEPARATOR = '\u001f';

    private Digest() {
    }

    /**
     * Adds one UTF-16 code unit.
     *
     * @param h the digest so far
     * @param c the character
     * @return the new digest
     */
    public static long add(long h, char c) {
        return (h ^ c) * PRIME;
    }

    /**
     * Adds {@code s[from, to)} and then a {@link #SEPARATOR}.
     *
     * @param h    the digest so far
     * @param s    the text
     * @param from first index
     * @param to   index after the last
     * @return the new digest
     */
    public static long addPart(long h, CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            h = (h ^ s.charAt(i)) * PRIME;
        }
        return (h ^ SEPARATOR) * PRIME;
    }

    /**
     * Adds a whole string and then a {@link #SEPARATOR}.
     *
     * @param h the digest so far
     * @param s the text
     * @return the new digest
     */
    public static long addPart(long h, CharSequence s) {
        return addPart(h, s, 0, s.length());
    }

    /**
     * Adds a number's eight bytes, low byte first, and then a {@link #SEPARATOR}.
     *
     * @param h the digest so far
     * @param v the number
     * @return the new digest
     */
    public static long addPart(long h, long v) {
        for (int i = 0; i < 8; i++) {
            h = (h ^ ((v >>> (8 * i)) & 0xff)) * PRIME;
        }
        return (h ^ SEPARATOR) * PRIME;
    }

    /**
     * Digests a text that is already a sequence of parts, each followed by a {@link #SEPARATOR}, exactly as
     * {@link #addPart(long, CharSequence)} would have: {@code ofJoined("a\u001fbc\u001f")} equals
     * {@code addPart(addPart(START, "a"), "bc")}.
     *
     * @param s the text
     * @return its digest from {@link #START}
     */
    public static long ofJoined(CharSequence s) {
        long h = START;
        for (int i = 0, n = s.length(); i < n; i++) {
            h = (h ^ s.charAt(i)) * PRIME;
        }
        return h;
    }
}
