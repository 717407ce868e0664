package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Refused: records cannot be re-initialised. */
@Pooled
public record PooledRecord(int a, String b) {
}
