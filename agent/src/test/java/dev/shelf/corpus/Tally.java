package dev.shelf.corpus;

import dev.shelf.Pooled;

/** A pooled class allocated at two sites ({@link TallySites}), for per-site statistics. */
@Pooled
public class Tally {
    final byte[] buffer = new byte[64];
}
