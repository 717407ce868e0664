package dev.shelf.corpus;

import dev.shelf.Pooled;
import dev.shelf.Scratch;

/** Owned scratch arrays, kept without zeroing; and a {@code @Scratch} the agent must ignore (the field is not owned). */
@Pooled
public class ScratchBuffers {
    @Scratch
    private final byte[] body = new byte[64];
    @Scratch
    private final long[] words;
    private final int[] zeroed = new int[4];
    @Scratch
    byte[] notOwned = new byte[8];

    public ScratchBuffers(int n) {
        words = new long[n];
    }

    /** Writes into every array, as a request would. */
    public void fill() {
        java.util.Arrays.fill(body, (byte) 7);
        java.util.Arrays.fill(words, 9L);
        java.util.Arrays.fill(zeroed, 3);
        java.util.Arrays.fill(notOwned, (byte) 1);
    }

    public byte[] body() {
        return body;
    }

    public long[] words() {
        return words;
    }

    public int[] zeroed() {
        return zeroed;
    }

    public byte[] notOwned() {
        return notOwned;
    }
}
