package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Refused: enums are never allocated with new. */
@Pooled
public enum PooledEnum {
    ONE, TWO
}
