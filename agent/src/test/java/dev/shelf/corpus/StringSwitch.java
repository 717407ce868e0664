package dev.shelf.corpus;

import dev.shelf.Pooled;

/** A string switch (hash lookup and equals chain) and a conditional assignment. */
@Pooled
public class StringSwitch {
    int code;
    String label;
    StringBuilder extra;

    public StringSwitch(String kind) {
        switch (kind) {
            case "GET":
                code = 1;
                break;
            case "POST":
                code = 2;
                break;
            default:
                code = -1;
        }
        if (code > 0) {
            label = kind.toLowerCase();
            extra = new StringBuilder(kind);
        }
    }
}
