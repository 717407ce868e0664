package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/**
 * Fields that look owned but are not: one can be replaced by a setter with a caller's list, one is package-private.
 * Releasing must never empty a list that somebody else holds.
 */
@Pooled
public class NotOwned {
    private List<String> replaceable = new ArrayList<>();
    List<String> visible = new ArrayList<>();

    public void use(List<String> callers) {
        replaceable = callers;
        visible = callers;
    }
}
