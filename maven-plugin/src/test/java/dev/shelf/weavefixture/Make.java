package dev.shelf.weavefixture;

/** Allocation sites of {@link Point}. */
public final class Make {
    private Make() {
    }

    public static Point point(int x, int y) {
        return new Point(x, y);
    }
}
