package dev.shelf.bench;

import java.util.List;

/**
 * The object every contender hands out: the shape of a per-request scratch object, as in the sample app's
 * {@code ParseRequest}. A 256-byte header buffer, a 16 KiB body buffer and a token list. Allocating one costs a
 * 16.6 KiB zeroed allocation; reusing one costs the pool's own bookkeeping and a reset.
 *
 * <p>Each contender has its own implementing class (Netty and Stormpot need a handle or slot field, Shelf's agent
 * needs a {@code @Pooled} class whose superclass is {@code Object}). Every benchmark runs in its own JVM fork, so in
 * each fork exactly one implementation is loaded and every call through this interface is monomorphic.
 */
public interface Scratch {

    /** Header buffer size. */
    int HEADER = 256;
    /** Body buffer size. */
    int BODY = 16 * 1024;

    /** @return the 256-byte header buffer */
    byte[] header();

    /** @return the 16 KiB body buffer */
    byte[] body();

    /** @return the token list */
    List<String> tokens();

    /** Forgets the previous request: what a hand-written pool user calls on a reused object. */
    void reset();
}
