package dev.shelf.bench;

import java.util.List;

/**
 * What every benchmark does with a scratch object, identically for every contender: write a small request into it
 * (a 64-byte header, a 512-byte body, eight tokens) and read a checksum back, so the writes cannot be dropped.
 * Small on purpose: the benchmarks measure what getting and returning the object costs, not the work.
 */
final class Work {

    private static final byte[] HEADER = new byte[64];
    private static final byte[] BODY = new byte[512];
    private static final String[] TOKENS = new String[16];

    static {
        for (int i = 0; i < BODY.length; i++) {
            BODY[i] = (byte) (i * 31);
        }
        for (int i = 0; i < HEADER.length; i++) {
            HEADER[i] = (byte) (i * 7);
        }
        for (int i = 0; i < TOKENS.length; i++) {
            TOKENS[i] = "token-" + i;
        }
    }

    private Work() {
    }

    /**
     * Fills {@code s} with request number {@code seq}.
     *
     * @return a checksum of what was written
     */
    static long fill(Scratch s, int seq) {
        byte[] header = s.header();
        byte[] body = s.body();
        List<String> tokens = s.tokens();
        System.arraycopy(HEADER, 0, header, 0, HEADER.length);
        System.arraycopy(BODY, 0, body, 0, BODY.length);
        header[0] = (byte) seq;
        body[BODY.length - 1] = (byte) (seq >>> 8);
        for (int i = 0; i < 8; i++) {
            tokens.add(TOKENS[(seq + i) & 15]);
        }
        return read(s);
    }

    /** @return a checksum that depends on every part {@link #fill} wrote */
    static long read(Scratch s) {
        List<String> tokens = s.tokens();
        return s.header()[0] + 31L * s.body()[BODY.length - 1] + tokens.size() + tokens.get(0).length();
    }
}
