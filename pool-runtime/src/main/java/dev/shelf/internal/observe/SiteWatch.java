package dev.shelf.internal.observe;

import dev.shelf.ShelfStats;
import dev.shelf.internal.Sites;
import dev.shelf.internal.pool.Pools;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Finds allocation sites where pooling only costs: many objects acquired, none ever released. Such a site pays the
 * pool's lookup and the re-initialiser on every {@code new}, and loses what plain allocation has — a TLAB bump, and
 * escape analysis, which may not allocate a non-escaping object at all. Once a site has acquired
 * {@code shelf.sites.revertAfter} objects and released none, the watch tells its {@link Listener} (the agent), which
 * turns that site back into a plain {@code new}; the exit report then says so next to its "nothing comes back"
 * advice.
 *
 * <p>A daemon thread ({@code shelf-site-watch}) looks once a second, reading each pool's counters as statistics do
 * (a snapshot under the pool's lock, never on the application's threads). Each site is reported once.
 */
public final class SiteWatch {

    /** Told about sites whose objects never come back. */
    public interface Listener {
        /**
         * Returns what was done, for the exit report, e.g. "turned back into a plain new"; {@code null} for nothing.
         *
         * @param pooledClass the pooled class's binary name
         * @param site        the site, {@code Class.method:line}
         * @param acquired    how many objects it acquired, none of them released
         */
        @Nullable String nothingComesBack(String pooledClass, String site, long acquired);
    }

    /** How often the counters are read. */
    static final long PERIOD_MILLIS = 1000;

    /** What was done per site ({@code class#site}), for the exit report. */
    private static final Map<String, String> DONE = new ConcurrentHashMap<>();

    private static volatile @Nullable Listener listener;
    private static volatile long revertAfter;

    private SiteWatch() {
    }

    /**
     * Starts watching. Called once by the agent.
     *
     * @param after    acquisitions with none released after which a site is reported; 0 never reports
     * @param listener what turns such a site back
     */
    public static synchronized void start(long after, Listener listener) {
        if (after <= 0 || SiteWatch.listener != null) {
            return;
        }
        SiteWatch.revertAfter = after;
        SiteWatch.listener = listener;
        Thread t = new Thread(new Runnable() { // not a lambda: this runs in premain, see Pools.evictOnGc
            @Override
            public void run() {
                watch();
            }
        }, "shelf-site-watch");
        t.setDaemon(true);
        t.start();
    }

    private static void watch() {
        while (true) {
            try {
                Thread.sleep(PERIOD_MILLIS);
                check();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | LinkageError e) {
                RuntimeLog.warnOnce("site-watch", "the site watch stopped (" + e + "); sites whose objects "
                        + "never come back stay pooled");
                return;
            }
        }
    }

    /** Reads every pool's site counters once and reports the sites past the threshold. */
    static void check() {
        Listener l = listener;
        if (l == null) {
            return;
        }
        for (ShelfStats.PoolStats pool : Pools.stats()) {
            for (ShelfStats.SiteStats s : pool.sites()) {
                if (s.acquired() >= revertAfter && s.released() == 0 && !s.site().equals(Sites.UNATTRIBUTED_NAME)) {
                    String key = pool.className() + "#" + s.site();
                    if (!DONE.containsKey(key)) {
                        DONE.put(key, "reported");
                        String what = l.nothingComesBack(pool.className(), s.site(), s.acquired());
                        if (what != null) {
                            DONE.put(key, what);
                        }
                    }
                }
            }
        }
    }

    /**
     * Returns what was done about the site because nothing came back, or {@code null}.
     *
     * @param pooledClass a pooled class's binary name
     * @param site        one of its sites
     */
    static @Nullable String done(String pooledClass, String site) {
        String d = DONE.get(pooledClass + "#" + site);
        return d == null || d.equals("reported") ? null : d;
    }
}
