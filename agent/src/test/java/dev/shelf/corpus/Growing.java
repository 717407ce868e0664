package dev.shelf.corpus;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.HashMap;

/** A request object whose owned builder, list and map grow with what one request brings. */
@Pooled
public class Growing {
    private final StringBuilder text = new StringBuilder();
    private final ArrayList<Integer> items = new ArrayList<>();
    private final HashMap<Integer, Integer> index = new HashMap<>();

    /** Grows the three containers as a request of that size would. */
    public void handle(int chars, int items, int entries) {
        for (int i = 0; i < chars; i++) {
            text.append('x');
        }
        for (int i = 0; i < items; i++) {
            this.items.add(i & 127); // cached boxes: the list's own array is all that grows
        }
        for (int i = 0; i < entries; i++) {
            index.put(i, i);
        }
    }

    public int size() {
        return text.length() + items.size() + index.size();
    }
}
