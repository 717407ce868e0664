package dev.shelf.internal.observe;

import dev.shelf.ShelfStats;
import dev.shelf.internal.pool.SizeEstimate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The report {@code shelf.report=exit} prints at shutdown (and {@code shelf.report.file} writes as JSON): one row
 * per pooled class, sorted by estimated bytes saved, under it one row per allocation site that acquired anything
 * ({@code Class.method:line}, most acquisitions first), and advice on where pooling does not pay.
 *
 * <p><b>Per class and per site.</b> Sites have what can be attributed to them: acquisitions, hits, allocations, and
 * releases, drops and double releases of the objects they acquired (wherever those were released). Evictions, idle
 * objects and capacities are the class's: idle objects of all sites share one stack. "Nothing comes back" is advised
 * per site, since one leaking site hides among well-behaved ones in the class's totals; a class without site counters
 * (a row built by hand) gets it per class.
 *
 * <p>This class only formats; {@link Observability} collects the rows. It is pure so that tests can feed it rows.
 */
final class ExitReport {

    /**
     * Acquisitions below which a pool says nothing about its usage: a class allocated a handful of times at start-up
     * is neither evidence of a leak nor of a win.
     */
    static final long MIN_EVIDENCE = 20;

    /**
     * "(Almost) never released": fewer releases than this share of acquisitions. A pool that gets back one object in
     * twenty still pays its costs (the factory's lookup, the recycle flag, the scrub) on every object and saves
     * allocation on almost none.
     */
    static final double NOTHING_COMES_BACK = 0.05;

    /** "Always full": more than this share of releases were dropped because the thread's stack and depot were full. */
    static final double ALWAYS_FULL = 0.10;

    /** What the report advises about one pool. */
    enum Advice {
        /** Objects are acquired but (almost) never released. */
        NOTHING_COMES_BACK,
        /** Objects are small and own nothing: plain allocation is likely faster. */
        SMALL_OBJECTS,
        /** Releases are dropped because the pool is full. */
        CAPACITY_TOO_SMALL,
        /** An array or container the constructor makes is made anew on every reuse, and costs more than the shell. */
        REMADE_ON_REUSE
    }

    /**
     * One piece of advice.
     *
     * @param className the pool's class
     * @param site      the allocation site it is about, or {@code null} when it is about the whole class
     * @param advice    which advice
     * @param message   the advice in words, for operators
     */
    record Advisory(String className, @Nullable String site, Advice advice, String message) {

        /** Returns the class, and the site if there is one: {@code com.acme.Point at com.acme.Handler.handle:42}. */
        String subject() {
            return site == null ? className : className + " at " + site;
        }
    }

    /**
     * One row: a pooled class, with its sites in its counters ({@link ShelfStats.PoolStats#sites()}).
     *
     * @param className      the pooled class's binary name
     * @param loader         its class loader's description (shown when two rows share a class name)
     * @param stats          the pool's counters, per site included
     * @param doubleReleases refused second releases
     * @param size           the estimated object size (exact for arrays), or {@code null} when unknown
     * @param remade         the fields reuse makes anew ({@code RegisteredPool.remade()})
     * @param array          whether the row is a pool of arrays of one type and length, {@code byte[65536]}, whose
     *                       advice speaks of arrays and of the sites' {@code new @Pooled T[n]}, not of a class
     */
    record Row(String className, String loader, ShelfStats.PoolStats stats, long doubleReleases,
               @Nullable SizeEstimate size, String remade, boolean array) {

        /** A row of a pooled class with nothing known to be made anew on reuse. */
        Row(String className, String loader, ShelfStats.PoolStats stats, long doubleReleases,
            @Nullable SizeEstimate size) {
            this(className, loader, stats, doubleReleases, size, "", false);
        }

        /** A row of a pooled class. */
        Row(String className, String loader, ShelfStats.PoolStats stats, long doubleReleases,
            @Nullable SizeEstimate size, String remade) {
            this(className, loader, stats, doubleReleases, size, remade, false);
        }

        /** Returns reused × estimated bytes per object, or -1 when the size is unknown. */
        long bytesSaved() {
            return saved(stats.reused());
        }

        /** Returns {@code reused} × estimated bytes per object, or -1 when the size is unknown. */
        long saved(long reused) {
            return size == null ? -1 : reused * size.perObject();
        }

        /** Returns the sites, most acquisitions first. */
        List<ShelfStats.SiteStats> sites() {
            List<ShelfStats.SiteStats> sites = new ArrayList<>(stats.sites());
            sites.sort(Comparator.comparingLong(ShelfStats.SiteStats::acquired).reversed()
                    .thenComparing(ShelfStats.SiteStats::site));
            return sites;
        }
    }

    private final List<Row> rows;
    private final IdentityHashMap<Row, List<Advisory>> advice = new IdentityHashMap<>();
    private final List<Advisory> advisories = new ArrayList<>();

    /**
     * @param rows one row per pool, in any order
     */
    ExitReport(List<Row> rows) {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(Row::bytesSaved).reversed()
                .thenComparing(Comparator.comparingLong((Row r) -> r.stats().acquired()).reversed())
                .thenComparing(Row::className));
        this.rows = List.copyOf(sorted);
        for (Row r : this.rows) {
            List<Advisory> a = advise(r);
            advice.put(r, a);
            advisories.addAll(a);
            for (ShelfStats.SiteStats site : r.sites()) {
                advisories.addAll(advise(r, site));
            }
        }
    }

    /** Returns the rows, most bytes saved first. */
    List<Row> rows() {
        return rows;
    }

    /** Returns every advisory, in row order. */
    List<Advisory> advisories() {
        return advisories;
    }

    /**
     * The advice for one pool.
     *
     * @param r a row
     * @return zero or more advisories
     */
    static List<Advisory> advise(Row r) {
        List<Advisory> out = new ArrayList<>();
        ShelfStats.PoolStats s = r.stats();
        if (s.sites().isEmpty()) {
            nothingComesBack(r.className(), null, s.acquired(), s.released(), r.array(), out);
        }
        SizeEstimate size = r.size();
        if (s.acquired() > 0 && size != null && size.small() && r.array()) {
            out.add(new Advisory(r.className(), null, Advice.SMALL_OBJECTS, "arrays are small (" + size.shallow()
                    + " B each): plain allocation is likely faster (the JIT may not allocate a non-escaping array at "
                    + "all); consider removing @Pooled from these new expressions"));
        } else if (s.acquired() > 0 && size != null && size.small()) {
            out.add(new Advisory(r.className(), null, Advice.SMALL_OBJECTS, "objects are small (~" + size.shallow()
                    + " B estimated) and own no arrays or containers: plain allocation is likely faster (the JIT "
                    + "may not allocate a non-escaping object at all); consider removing @Pooled"));
        }
        if (s.acquired() > 0 && !r.remade().isEmpty()) {
            remade(r, size, out);
        }
        if (s.released() >= MIN_EVIDENCE && s.dropped() > ALWAYS_FULL * s.released() && r.array()) {
            out.add(new Advisory(r.className(), null, Advice.CAPACITY_TOO_SMALL, "capacity too small: " + s.dropped()
                    + " of " + s.released() + " releases were dropped because the pool was full (" + s.capacity()
                    + " per thread, " + s.sharedCapacity() + " shared) or the idle-bytes budget had no room for "
                    + "another " + (size == null ? "array" : size.shallow() + " B array") + "; raise "
                    + "shelf.pool.maxPerThread (or shelf.pool.maxShared when arrays are released on other threads "
                    + "than they were acquired on), or shelf.pool.maxIdleBytes for large arrays"));
        } else if (s.released() >= MIN_EVIDENCE && s.dropped() > ALWAYS_FULL * s.released()) {
            out.add(new Advisory(r.className(), null, Advice.CAPACITY_TOO_SMALL, "capacity too small: " + s.dropped()
                    + " of " + s.released() + " releases were dropped because the pool was full (" + s.capacity()
                    + " per thread, " + s.sharedCapacity() + " shared); raise @Pooled(maxPerThread) or "
                    + "shelf.pool.maxPerThread (or @Pooled(maxShared) / shelf.pool.maxShared when objects are "
                    + "released on other threads than they were acquired on)"));
        }
        return out;
    }

    /**
     * An array or container the constructors allocate into a field that reuse cannot keep, when it costs more than
     * the object's own shell (or its size is computed, so not known here): the allocation pooling was meant to save
     * still happens on every reuse.
     */
    private static void remade(Row r, @Nullable SizeEstimate size, List<Advisory> out) {
        long shell = size == null ? 0 : size.shallow();
        for (String line : r.remade().split("\n", -1)) {
            String[] f = line.split("\t", 3);
            if (f.length < 3) {
                continue;
            }
            long bytes = Long.parseLong(f[1]);
            if (bytes >= 0 && bytes <= shell) {
                continue;
            }
            out.add(new Advisory(r.className(), null, Advice.REMADE_ON_REUSE, "field " + f[0]
                    + " is made anew on every reuse (" + (bytes < 0 ? "its size is computed at run time"
                    : "~" + bytes + " B, more than the object's own ~" + shell + " B") + "): " + f[2]));
        }
    }

    /**
     * The advice for one allocation site of a pool.
     *
     * @param r    the pool's row
     * @param site one of its sites
     * @return zero or more advisories about that site
     */
    static List<Advisory> advise(Row r, ShelfStats.SiteStats site) {
        List<Advisory> out = new ArrayList<>();
        nothingComesBack(r.className(), site.site(), site.acquired(), site.released(), r.array(), out);
        return out;
    }

    private static void nothingComesBack(String className, @Nullable String site, long acquired, long released,
                                         boolean array, List<Advisory> out) {
        if (acquired >= MIN_EVIDENCE && released < NOTHING_COMES_BACK * acquired) {
            String done = site == null ? null : SiteWatch.done(className, site);
            out.add(new Advisory(className, site, Advice.NOTHING_COMES_BACK, "nothing comes back: pooling only costs "
                    + "here (acquired " + acquired + ", released " + released + "); release "
                    + (array ? "arrays" : "objects") + " with "
                    + "Shelf.release in a finally block, use @Pooled(scope = Scope.METHOD), or remove @Pooled"
                    + (done == null ? "" : "; " + done)));
        }
    }

    /** The text printed to standard error; every line starts with {@code [shelf]} so that it can be grepped. */
    static final String HEADER = "exit report: per pooled class (and per pooled array type and length, such as "
            + "byte[65536]), sorted by estimated bytes saved, and under each row per allocation site (at "
            + "Class.method:line; a release counts for the site that acquired the object; evictions and idle objects "
            + "are per row)";

    /** How "bytes saved" is estimated, printed under the table and stored in the JSON. */
    static final String ESTIMATE = "bytes saved = reused x estimated bytes per object, an estimate and not a "
            + "measurement: shallow size from the declared fields (" + SizeEstimate.HEADER + " B header, "
            + SizeEstimate.REFERENCE + " B references, 8 B alignment) plus what the object owns and keeps: primitive "
            + "arrays of constant length the agent found in the constructors or, when larger, the owned arrays (at the length "
            + "last seen) and containers as measured on released objects; arrays and containers made anew on reuse "
            + "and pooled children (see their own rows) are not counted; a pooled array's bytes are exact "
            + "(array header plus length x element size, 8 B alignment)";

    /** Returns the report as lines for standard error. */
    String text() {
        boolean loaders = sharedNames();
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"class", "acquired", "reused", "hit %", "allocated", "released", "dropped", "evicted",
            "idle", "double", "~B/object", "~saved"});
        for (Row r : rows) {
            ShelfStats.PoolStats s = r.stats();
            cells.add(new String[] {
                loaders ? r.className() + " (" + r.loader() + ")" : r.className(),
                Long.toString(s.acquired()), Long.toString(s.reused()),
                percent(s.hitRatio()),
                Long.toString(s.allocated()), Long.toString(s.released()), Long.toString(s.dropped()),
                Long.toString(s.evicted()), Long.toString(s.idle()), Long.toString(r.doubleReleases()),
                r.size() == null ? "?" : Long.toString(r.size().perObject()),
                r.bytesSaved() < 0 ? "?" : human(r.bytesSaved())});
            for (ShelfStats.SiteStats site : r.sites()) {
                long saved = r.saved(site.reused());
                cells.add(new String[] {
                    "  at " + site.site(),
                    Long.toString(site.acquired()), Long.toString(site.reused()), percent(site.hitRatio()),
                    Long.toString(site.allocated()), Long.toString(site.released()), Long.toString(site.dropped()),
                    "", "", Long.toString(site.doubleReleases()), "", saved < 0 ? "?" : human(saved)});
            }
        }
        int[] width = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADER);
        if (rows.isEmpty()) {
            line(out, "no pooled class was initialised");
        } else {
            for (String[] row : cells) {
                StringBuilder l = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    if (i == 0) {
                        l.append(String.format(Locale.ROOT, "%-" + width[0] + "s", row[0]));
                    } else {
                        l.append(String.format(Locale.ROOT, "  %" + width[i] + "s", row[i]));
                    }
                }
                line(out, "  " + l);
            }
            long total = rows.stream().mapToLong(Row::bytesSaved).filter(b -> b > 0).sum();
            line(out, "  total estimated bytes saved: " + human(total));
        }
        if (advisories.isEmpty()) {
            line(out, "advisories: none");
        } else {
            line(out, "advisories:");
            for (Advisory a : advisories) {
                line(out, "  " + a.subject() + ": " + a.message());
            }
        }
        line(out, ESTIMATE);
        return out.toString();
    }

    private static void line(StringBuilder out, String s) {
        out.append("[shelf] ").append(s).append(System.lineSeparator());
    }

    private boolean sharedNames() {
        return rows.stream().map(Row::className).distinct().count() < rows.size();
    }

    /**
     * Returns {@code ratio} as a percentage with one decimal, rounded down: 8 misses in 20 000 show as 99.9%, never
     * as 100.0%.
     *
     * @param ratio a share from 0 to 1
     */
    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", Math.floor(ratio * 1000 + 1e-9) / 10);
    }

    /**
     * Returns {@code bytes} in B, KiB, MiB, GiB or TiB with one decimal, e.g. {@code 1.9 GiB}.
     *
     * @param bytes a byte count
     */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Returns the same report as a JSON document. */
    String json() {
        StringBuilder j = new StringBuilder();
        j.append("{\n  \"report\": \"shelf exit report\",\n");
        j.append("  \"scope\": \"class and site\",\n");
        j.append("  \"perSite\": true,\n");
        j.append("  \"note\": ").append(quote(HEADER)).append(",\n");
        j.append("  \"estimate\": ").append(quote(ESTIMATE)).append(",\n");
        j.append("  \"totalEstimatedBytesSaved\": ")
                .append(rows.stream().mapToLong(Row::bytesSaved).filter(b -> b > 0).sum()).append(",\n");
        j.append("  \"classes\": [");
        for (int i = 0; i < rows.size(); i++) {
            j.append(i == 0 ? "\n" : ",\n");
            // every row has its advice: the constructor puts one list per row
            row(j, rows.get(i), Objects.requireNonNull(advice.get(rows.get(i))), "    ");
        }
        j.append(rows.isEmpty() ? "]\n" : "\n  ]\n");
        j.append("}\n");
        return j.toString();
    }

    private static void row(StringBuilder j, Row r, List<Advisory> advisories, String indent) {
        ShelfStats.PoolStats s = r.stats();
        j.append(indent).append("{\n");
        String in = indent + "  ";
        field(j, in, "class", quote(r.className()));
        field(j, in, "loader", quote(r.loader()));
        field(j, in, "kind", quote(r.array() ? "array" : "class"));
        field(j, in, "capacity", s.capacity());
        field(j, in, "sharedCapacity", s.sharedCapacity());
        field(j, in, "acquired", s.acquired());
        field(j, in, "reused", s.reused());
        field(j, in, "allocated", s.allocated());
        field(j, in, "released", s.released());
        field(j, in, "dropped", s.dropped());
        field(j, in, "evicted", s.evicted());
        field(j, in, "idle", s.idle());
        field(j, in, "doubleReleases", r.doubleReleases());
        field(j, in, "hitRatio", String.format(Locale.ROOT, "%.4f", s.hitRatio()));
        SizeEstimate size = r.size();
        field(j, in, "estimatedShallowBytes", size == null ? "null" : Long.toString(size.shallow()));
        field(j, in, "estimatedOwnedArrayBytes", size == null ? "null" : Long.toString(size.ownedArrays()));
        field(j, in, "estimatedBytesPerObject", size == null ? "null" : Long.toString(size.perObject()));
        field(j, in, "estimatedBytesSaved", r.bytesSaved() < 0 ? "null" : Long.toString(r.bytesSaved()));
        advisories(j, in, advisories);
        List<ShelfStats.SiteStats> sites = r.sites();
        j.append(in).append("\"sites\": [");
        for (int i = 0; i < sites.size(); i++) {
            j.append(i == 0 ? "\n" : ",\n");
            site(j, r, sites.get(i), in + "  ");
        }
        j.append(sites.isEmpty() ? "]\n" : "\n" + in + "]\n");
        j.append(indent).append('}');
    }

    private static void site(StringBuilder j, Row r, ShelfStats.SiteStats site, String indent) {
        j.append(indent).append("{\n");
        String in = indent + "  ";
        field(j, in, "site", quote(site.site()));
        field(j, in, "acquired", site.acquired());
        field(j, in, "reused", site.reused());
        field(j, in, "allocated", site.allocated());
        field(j, in, "released", site.released());
        field(j, in, "dropped", site.dropped());
        field(j, in, "doubleReleases", site.doubleReleases());
        field(j, in, "hitRatio", String.format(Locale.ROOT, "%.4f", site.hitRatio()));
        long saved = r.saved(site.reused());
        field(j, in, "estimatedBytesSaved", saved < 0 ? "null" : Long.toString(saved));
        List<Advisory> advisories = advise(r, site);
        advisories(j, in, advisories);
        j.setLength(j.length() - 2); // the last member: no comma
        j.append("\n").append(indent).append('}');
    }

    private static void advisories(StringBuilder j, String in, List<Advisory> advisories) {
        j.append(in).append("\"advisories\": [");
        for (int i = 0; i < advisories.size(); i++) {
            Advisory a = advisories.get(i);
            j.append(i == 0 ? "\n" : ",\n").append(in).append("  {\"advice\": ").append(quote(a.advice().name()))
                    .append(", \"message\": ").append(quote(a.message())).append('}');
        }
        j.append(advisories.isEmpty() ? "],\n" : "\n" + in + "],\n");
    }

    private static void field(StringBuilder j, String indent, String name, Object value) {
        j.append(indent).append('"').append(name).append("\": ").append(value).append(",\n");
    }

    /**
     * Returns {@code s} as a JSON string literal.
     *
     * @param s any text
     */
    static String quote(String s) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
