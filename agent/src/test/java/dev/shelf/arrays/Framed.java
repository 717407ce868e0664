package dev.shelf.arrays;

import dev.shelf.Pooled;

/** A pooled class whose constructor takes its buffer from a pooled array site: the re-initialiser copies the site. */
@Pooled
public class Framed {

    private final byte[] buf;
    private int used;

    public Framed(int n) {
        this.buf = new @Pooled byte[n];
    }

    public byte[] buf() {
        return buf;
    }

    public int used() {
        return used;
    }

    public void write(byte b) {
        buf[used++] = b;
    }

    /** @return a new object: a site of the pooled class, outside it */
    public static Framed make(int n) {
        return new Framed(n);
    }
}
