package dev.shelf.corpus;

import dev.shelf.Pooled;

/**
 * Every shape of array field the pool's size estimate must tell apart: what the agent declares at registration as
 * kept (owned, constant length), as made anew on reuse, and what it leaves out.
 */
@Pooled
@SuppressWarnings("unused")
public class EstimatedBuffers {
    private final byte[] body = new byte[16 * 1024];     // kept: final, constant length
    private long[] scratch = new long[4];                // kept: private, assigned only here
    private final int[] offsets = {1, 2, 3};             // made anew: the re-initialiser re-runs an array initialiser
    byte[] exposed = new byte[1000];                     // made anew: anyone in the package may assign it
    private long[] reassigned = new long[100];           // made anew: grow() assigns it too
    private final char[] sized;                          // kept, but of computed length: measured, not declared
    long id;

    public EstimatedBuffers() {
        this(8);
    }

    public EstimatedBuffers(int n) {
        sized = new char[n];
    }

    void grow() {
        reassigned = new long[200];
    }
}
