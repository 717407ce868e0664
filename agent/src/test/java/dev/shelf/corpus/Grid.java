package dev.shelf.corpus;

import dev.shelf.Pooled;

/** Multi-dimensional and object arrays: allocated again by re-initialisation, never shared. */
@Pooled
public class Grid {
    final int[][] cells = new int[3][4];
    final String[] names = new String[2];
    final long[] wide = new long[5];

    public Grid(int fill) {
        cells[1][2] = fill;
        names[0] = "n" + fill;
        wide[4] = fill;
    }
}
