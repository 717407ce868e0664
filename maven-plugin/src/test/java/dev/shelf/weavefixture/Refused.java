package dev.shelf.weavefixture;

import dev.shelf.Pooled;

/** A {@code @Pooled} record: a shape the agent refuses (a record's fields are final and set once), so it warns. */
@Pooled
public record Refused(int x) {
}
