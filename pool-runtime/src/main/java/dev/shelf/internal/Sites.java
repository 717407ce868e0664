package dev.shelf.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of the allocation sites the agent rewrote, numbered per pooled class.
 *
 * <p>When the agent rewrites {@code new T(args)} in {@code com.acme.Handler.handle} at line 42, it registers the
 * site {@code com.acme.Handler.handle:42} for {@code T} here and gets back a small number, which the rewritten code
 * passes as a constant to {@code T.$shelf$new(site, args)}. The pool counts per thread per site in an array indexed
 * by that number, so the number must be small and dense <em>per pooled class</em>: each class has its own table, and
 * index {@value #UNATTRIBUTED} is reserved for objects that did not come from a rewritten site (made by reflection,
 * by code outside Shelf's scope, or by a hand-written pool user).
 *
 * <p>Tables are keyed by the class's binary name and hold only strings, so this bootstrap-loaded registry keeps no
 * application class alive. Registering the same name twice returns the same number: two {@code new T()} on one line
 * count as one site, and a class loaded again by a new class loader (a redeployed application) reuses its numbers
 * instead of growing the table. A site is registered when its class is transformed, which may be long before (or
 * without ever) running it; reports show only sites that acquired something.
 */
public final class Sites {

    /** The site of objects that did not come from a rewritten {@code new}. */
    public static final int UNATTRIBUTED = 0;

    /** How {@link #UNATTRIBUTED} is named in statistics. */
    public static final String UNATTRIBUTED_NAME = "(not a rewritten site)";

    /**
     * Sites per class beyond which new sites are counted as {@link #UNATTRIBUTED}. Far more than any class has; it
     * bounds the per-thread counter arrays and keeps {@code site << 1} inside an object's {@code int} state.
     */
    public static final int MAX = 1 << 16;

    private static final Map<String, Table> TABLES = new ConcurrentHashMap<>();

    private Sites() {
    }

    /** One pooled class's sites; appended to under its own lock, read through a copy-on-write array. */
    private static final class Table {
        private final Map<String, Integer> numbers = new HashMap<>();
        private volatile String[] names = {UNATTRIBUTED_NAME};

        synchronized int register(String site) {
            Integer known = numbers.get(site);
            if (known != null) {
                return known;
            }
            String[] now = names;
            if (now.length >= MAX) {
                return UNATTRIBUTED;
            }
            String[] next = java.util.Arrays.copyOf(now, now.length + 1);
            next[now.length] = site;
            numbers.put(site, now.length);
            names = next;
            return now.length;
        }
    }

    /**
     * Numbers an allocation site of a pooled class. Called by the agent while it rewrites the site.
     *
     * @param className the pooled class's binary name ({@code com.acme.Order}) or internal name
     *                  ({@code com/acme/Order})
     * @param site      where the {@code new} is, as {@code Class.method:line}
     * @return the site's number for that class, at least 1 (or {@link #UNATTRIBUTED} past {@link #MAX} sites)
     */
    public static int register(String className, String site) {
        if (className == null || site == null || site.isEmpty()) {
            throw new IllegalArgumentException("a site needs a pooled class and a name, got " + className + " / "
                    + site);
        }
        // Not computeIfAbsent with a lambda: this runs while the agent rewrites the first site class, at start-up,
        // where linking a lambda costs the application's thread a generated class.
        String name = className.replace('/', '.');
        Table table = TABLES.get(name);
        if (table == null) {
            Table created = new Table();
            table = TABLES.putIfAbsent(name, created);
            if (table == null) {
                table = created;
            }
        }
        return table.register(site);
    }

    /**
     * Returns its site names by number (index 0 is {@link #UNATTRIBUTED_NAME}); never empty.
     *
     * @param className a pooled class's binary name
     */
    public static String[] names(String className) {
        Table t = TABLES.get(className);
        return t == null ? new String[] {UNATTRIBUTED_NAME} : t.names;
    }

    /**
     * Returns how many site numbers the class has now, {@link #UNATTRIBUTED} included.
     *
     * @param className a pooled class's binary name
     */
    public static int count(String className) {
        Table t = TABLES.get(className);
        return t == null ? 1 : t.names.length;
    }
}
