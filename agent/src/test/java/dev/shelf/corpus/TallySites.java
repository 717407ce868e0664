package dev.shelf.corpus;

/**
 * Two allocation sites of {@link Tally}. SiteStatisticsTest finds their line numbers by the marker comments, so keep
 * each {@code new} on the line of its marker.
 */
public final class TallySites {

    private TallySites() {
    }

    public static Object parse() {
        return new Tally(); // site: parse
    }

    public static Object render() {
        Object t = new Tally(); // site: render
        return t;
    }
}
