package dev.shelf.weavefixture;

import dev.shelf.Pooled;

import java.util.ArrayList;
import java.util.List;

/** A pooled class with primitives, a reference and an owned container. */
@Pooled
public class Point {
    public int x;
    public int y;
    public String label;
    public final List<String> tags = new ArrayList<>();

    public Point(int x, int y) {
        this.x = x;
        this.y = y;
        this.label = "p" + x + "," + y;
        tags.add(label);
    }
}
