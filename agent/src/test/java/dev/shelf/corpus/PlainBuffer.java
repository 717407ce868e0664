package dev.shelf.corpus;

/** Not annotated: pooled only where a site says {@code new @Pooled PlainBuffer()}. */
public class PlainBuffer {
    private final byte[] bytes = new byte[1024];
    int used;

    public byte[] bytes() {
        return bytes;
    }
}
