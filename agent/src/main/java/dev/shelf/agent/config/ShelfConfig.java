package dev.shelf.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The agent's settings, validated once at start.
 *
 * <p>Shelf rewrites the application's bytecode, so a setting that is silently misread is worse than none: a typo
 * in {@code shelf.exclude} would rewrite code the operator meant to protect. Every key is therefore checked; an
 * unknown key, a value of the wrong form or an unreadable file is a {@link ConfigException} whose message names the
 * source, the key and what is accepted, and the agent stops the JVM with it.
 *
 * <p>Sources, later ones overriding earlier (see {@link #load}): a properties file ({@code config=PATH},
 * {@code -Dshelf.config=PATH} or {@code SHELF_CONFIG}), environment variables {@code SHELF_*} (upper case, dots as
 * underscores), system properties {@code -Dshelf.*}, then the {@code key=value} pairs of the agent argument itself
 * (keys with or without the {@code shelf.} prefix). In agent arguments pairs are separated by commas; a piece without
 * {@code =} continues the previous value, so {@code include=com.a,com.b,explain=true} means
 * {@code shelf.include=com.a,com.b}.
 *
 * @param enabled      {@code shelf.enabled}: whether to rewrite anything at all
 * @param include      {@code shelf.include}: package prefixes whose classes are rewritten; empty means all
 * @param exclude      {@code shelf.exclude}: package prefixes never rewritten; wins over include
 * @param maxPerThread {@code shelf.pool.maxPerThread}: default per-thread capacity of each pool
 * @param explain      {@code shelf.explain}: print every pooling decision and every rewritten site
 * @param maxShared    {@code shelf.pool.maxShared}: default capacity of each pool's shared overflow depot, where
 *                     objects released on one thread wait for another; 0 turns it off
 * @param eviction     {@code shelf.eviction}: whether idle objects are dropped after garbage collections
 * @param strict       {@code shelf.mode=strict}: misuse (double release, use after release, foreign release) throws
 * @param report       {@code shelf.report}: whether an exit report is printed at shutdown
 * @param reportFile   {@code shelf.report.file}: where the exit report is also written as JSON, or {@code null}
 * @param jmx          {@code shelf.jmx}: whether each pool is registered as an MXBean
 * @param dumpDir      {@code shelf.dump.dir}: where every rewritten class file is written, or {@code null}
 * @param cacheDir     {@code shelf.cache.dir}: where rewritten classes are kept for the next start, or {@code null}
 * @param maxRetainedBytes {@code shelf.pool.maxRetainedBytes}: an owned container whose storage is estimated above
 *                     this when its object is released is let go, and made anew as the constructor makes it
 * @param maxIdleBytes {@code shelf.pool.maxIdleBytes}: the estimated bytes all idle pooled objects of the JVM may
 *                     hold together; negative for a share of the maximum heap in hundredths of a percent
 *                     ({@link #IDLE_BYTES_OF_HEAP}, the default, is a sixteenth)
 * @param revertAfter  {@code shelf.sites.revertAfter}: acquisitions with none released after which a site is turned
 *                     back into a plain {@code new}; 0 never
 */
public record ShelfConfig(boolean enabled, List<String> include, List<String> exclude, int maxPerThread,
                          boolean explain, int maxShared, Eviction eviction, boolean strict, Report report,
                          @Nullable Path reportFile, boolean jmx, @Nullable Path dumpDir, @Nullable Path cacheDir,
                          long maxRetainedBytes, long maxIdleBytes, int revertAfter) {

    /** Default {@code shelf.sites.revertAfter}. */
    public static final int DEFAULT_REVERT_AFTER = 10_000;

    /**
     * {@code maxIdleBytes} when it is not set: a sixteenth of the maximum heap. A negative {@code maxIdleBytes} is a
     * share of the maximum heap in hundredths of a percent, resolved by the runtime ({@code -625} is 6.25%).
     */
    public static final long IDLE_BYTES_OF_HEAP = -625;

    /** Default {@code shelf.pool.maxRetainedBytes}: 1 MiB. */
    public static final long DEFAULT_MAX_RETAINED_BYTES = 1L << 20;

    /**
     * Every setting but the two byte bounds, which take their defaults.
     *
     * @param enabled      {@code shelf.enabled}
     * @param include      {@code shelf.include}
     * @param exclude      {@code shelf.exclude}
     * @param maxPerThread {@code shelf.pool.maxPerThread}
     * @param explain      {@code shelf.explain}
     * @param maxShared    {@code shelf.pool.maxShared}
     * @param eviction     {@code shelf.eviction}
     * @param strict       {@code shelf.mode=strict}
     * @param report       {@code shelf.report}
     * @param reportFile   {@code shelf.report.file}
     * @param jmx          {@code shelf.jmx}
     * @param dumpDir      {@code shelf.dump.dir}
     * @param cacheDir     {@code shelf.cache.dir}
     */
    public ShelfConfig(boolean enabled, List<String> include, List<String> exclude, int maxPerThread,
                       boolean explain, int maxShared, Eviction eviction, boolean strict, Report report,
                       @Nullable Path reportFile, boolean jmx, @Nullable Path dumpDir, @Nullable Path cacheDir) {
        this(enabled, include, exclude, maxPerThread, explain, maxShared, eviction, strict, report, reportFile, jmx,
                dumpDir, cacheDir, DEFAULT_MAX_RETAINED_BYTES, IDLE_BYTES_OF_HEAP, DEFAULT_REVERT_AFTER);
    }

    /** Whether Shelf reports on its pools when the JVM exits. */
    public enum Report {
        /** No report. */
        NONE,
        /** A table per class and site at shutdown, sorted by bytes saved, with advisories. */
        EXIT
    }

    /** What the pools do with idle objects when the garbage collector runs. */
    public enum Eviction {
        /** Like Go's sync.Pool: drop objects unused across two collections, and all of them under memory pressure. */
        GC,
        /** Keep idle objects until their thread ends (the pools stay bounded by their capacities). */
        NONE
    }

    /** Keys with their documentation, in the order docs/configuration.md lists them. */
    public static final Map<String, String> KEYS;

    static {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("shelf.enabled", "true or false");
        keys.put("shelf.include", "comma-separated package prefixes, e.g. com.acme,org.example.api");
        keys.put("shelf.exclude", "comma-separated package prefixes, e.g. com.acme.legacy");
        keys.put("shelf.pool.maxPerThread", "a whole number from 1 to " + ShelfConfig.MAX_CAPACITY);
        keys.put("shelf.pool.maxShared", "a whole number from 0 to " + ShelfConfig.MAX_CAPACITY);
        keys.put("shelf.pool.maxRetainedBytes", "a size in bytes from 0 to 1g, optionally with a suffix k, m or g "
                + "(e.g. 1m)");
        keys.put("shelf.pool.maxIdleBytes", "a size in bytes, optionally with a suffix k, m or g (e.g. 64m), or a "
                + "share of the maximum heap in percent from 0% to 50% (e.g. 6%)");
        keys.put("shelf.sites.revertAfter", "a whole number from 0 (never) to " + (1 << 30));
        keys.put("shelf.eviction", "gc or none");
        keys.put("shelf.explain", "true or false");
        keys.put("shelf.mode", "normal or strict");
        keys.put("shelf.report", "none or exit");
        keys.put("shelf.report.file", "a path to a file that can be created or overwritten");
        keys.put("shelf.jmx", "true or false");
        keys.put("shelf.dump.dir", "a path to a directory that exists or can be created");
        keys.put("shelf.cache.dir", "a path to a directory that exists or can be created, that other users cannot "
                + "write to (it may be read-only: then its entries are used and none are written)");
        KEYS = Collections.unmodifiableMap(keys);
    }

    /** Upper bound for capacities: far above any sane pool, low enough that a typo does not reserve gigabytes. */
    public static final int MAX_CAPACITY = 1 << 20;

    /**
     * Defaults: pooling on, every package, 64 idle objects per thread per class, 256 in each class's shared depot,
     * idle objects dropped after two garbage collections.
     */
    public static final ShelfConfig DEFAULTS = new ShelfConfig(true, List.of(), List.of(), 64, false, 256,
            Eviction.GC, false, Report.NONE, null, true, null, null, DEFAULT_MAX_RETAINED_BYTES, IDLE_BYTES_OF_HEAP,
            DEFAULT_REVERT_AFTER);

    /** Copies the lists. */
    public ShelfConfig {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        Objects.requireNonNull(eviction, "eviction");
        Objects.requireNonNull(report, "report");
    }

    /**
     * The settings that existed first; the others take their defaults.
     *
     * @param enabled      {@code shelf.enabled}
     * @param include      {@code shelf.include}
     * @param exclude      {@code shelf.exclude}
     * @param maxPerThread {@code shelf.pool.maxPerThread}
     * @param explain      {@code shelf.explain}
     */
    public ShelfConfig(boolean enabled, List<String> include, List<String> exclude, int maxPerThread,
                       boolean explain) {
        this(enabled, include, exclude, maxPerThread, explain, 256, Eviction.GC, false, Report.NONE, null, true, null,
                null);
    }

    /**
     * Reads the agent argument string (the part after {@code =} in {@code -javaagent:shelf-agent.jar=...}) alone,
     * ignoring environment and system properties; for tests of that one source.
     *
     * @param agentArgs the argument, or {@code null} when there is none
     * @return the validated configuration
     * @throws ConfigException when any source holds something Shelf does not accept
     */
    public static ShelfConfig fromAgentArgs(String agentArgs) throws ConfigException {
        return load(agentArgs, Map.of(), new Properties());
    }

    /**
     * The configuration of this JVM's {@code -javaagent}, from every source ({@link #load}); on any error the JVM
     * stops here with one line naming the source, the key and what is accepted — before the agent has changed
     * anything.
     *
     * @param agentArgs the agent argument, or {@code null}
     * @return the validated configuration
     */
    public static ShelfConfig loadOrStop(String agentArgs) {
        try {
            return load(agentArgs, System.getenv(), System.getProperties());
        } catch (ConfigException e) {
            System.err.println("[shelf] ERROR " + e.getMessage() + " (the JVM stops: fix the configuration or "
                    + "remove -javaagent)");
            System.exit(2);
            throw new IllegalStateException("unreachable", e);
        }
    }

    /**
     * Reads every source, in increasing precedence: the properties file, environment variables {@code SHELF_*},
     * system properties {@code -Dshelf.*}, the agent argument. The file is named by the agent argument
     * {@code config=PATH}, else the system property {@code shelf.config}, else the environment variable
     * {@code SHELF_CONFIG}. Why this order: the file is the shared baseline, the environment is the deployment's
     * (containers set it), a system property is this JVM's command line, and the agent argument is written next to the
     * very {@code -javaagent} it configures — the most specific wins.
     *
     * @param agentArgs  the agent argument, or {@code null}
     * @param env        the environment ({@code System.getenv()})
     * @param properties the system properties
     * @return the validated configuration
     * @throws ConfigException on the first source, key or value that is not accepted
     */
    public static ShelfConfig load(String agentArgs, Map<String, String> env, Properties properties)
            throws ConfigException {
        Map<String, String> fromArgs = parseAgentArgs(agentArgs);
        Map<String, Sourced> merged = new LinkedHashMap<>();
        String file = fromArgs.remove("config");
        String fileSource = "agent argument";
        if (file == null && properties.getProperty("shelf.config") != null) {
            file = properties.getProperty("shelf.config");
            fileSource = "system property -Dshelf.config";
        } else if (file == null && env.get("SHELF_CONFIG") != null) {
            file = env.get("SHELF_CONFIG");
            fileSource = "environment variable SHELF_CONFIG";
        }
        if (file != null) {
            if (file.isBlank()) {
                throw new ConfigException(fileSource + ": config needs a path to a properties file");
            }
            readFile(Path.of(file), merged);
        }
        Map<String, String> byEnvName = new LinkedHashMap<>();
        for (String key : KEYS.keySet()) {
            byEnvName.put(envName(key), key);
        }
        for (String name : new java.util.TreeSet<>(env.keySet())) {
            if (!name.startsWith("SHELF_") || name.equals("SHELF_CONFIG")) {
                continue;
            }
            String key = byEnvName.get(name);
            if (key == null) {
                throw new ConfigException("environment variable " + name + ": unknown key; known variables are "
                        + String.join(", ", byEnvName.keySet()) + " and SHELF_CONFIG");
            }
            // name is a key of env
            merged.put(key, new Sourced(Objects.requireNonNull(env.get(name)), "environment variable " + name));
        }
        for (String name : new java.util.TreeSet<>(properties.stringPropertyNames())) {
            if (name.startsWith("shelf.") && !name.equals("shelf.config")) {
                merged.put(name, new Sourced(properties.getProperty(name), "system property -D" + name));
            }
        }
        for (Map.Entry<String, String> e : fromArgs.entrySet()) {
            String key = e.getKey().startsWith("shelf.") ? e.getKey() : "shelf." + e.getKey();
            merged.put(key, new Sourced(e.getValue(), "agent argument"));
        }
        return from(merged);
    }

    /**
     * The environment variable for a key: upper case, dots to underscores.
     *
     * @param key e.g. {@code shelf.pool.maxPerThread}
     * @return e.g. {@code SHELF_POOL_MAXPERTHREAD}
     */
    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }

    /**
     * Validates already-collected settings. Package-private for tests and for further sources.
     *
     * @param values every setting with where it came from
     * @return the configuration
     * @throws ConfigException on the first key or value that is not accepted
     */
    static ShelfConfig from(Map<String, Sourced> values) throws ConfigException {
        for (Map.Entry<String, Sourced> e : values.entrySet()) {
            if (!KEYS.containsKey(e.getKey())) {
                throw new ConfigException(e.getValue().source() + ": unknown key '" + e.getKey()
                        + "'; known keys are " + String.join(", ", KEYS.keySet()));
            }
        }
        return new ShelfConfig(
                bool(values, "shelf.enabled", DEFAULTS.enabled),
                packages(values, "shelf.include"),
                packages(values, "shelf.exclude"),
                positiveInt(values, "shelf.pool.maxPerThread", DEFAULTS.maxPerThread),
                bool(values, "shelf.explain", DEFAULTS.explain),
                intInRange(values, "shelf.pool.maxShared", 0, DEFAULTS.maxShared),
                eviction(values, "shelf.eviction", DEFAULTS.eviction),
                mode(values, "shelf.mode"),
                report(values, "shelf.report"),
                writableFile(values, "shelf.report.file"),
                bool(values, "shelf.jmx", true),
                directory(values, "shelf.dump.dir"),
                privateDirectory(values, "shelf.cache.dir"),
                bytes(values, "shelf.pool.maxRetainedBytes", 1L << 30, false, DEFAULT_MAX_RETAINED_BYTES),
                bytes(values, "shelf.pool.maxIdleBytes", Long.MAX_VALUE / 4, true, IDLE_BYTES_OF_HEAP),
                intInRange(values, "shelf.sites.revertAfter", 0, 1 << 30, DEFAULT_REVERT_AFTER));
    }


    /**
     * A size: a whole number of bytes, or with a suffix {@code k}, {@code m} or {@code g} (powers of 1024; a trailing
     * {@code b} or {@code iB} is accepted too), or, where allowed, a percentage of the maximum heap (returned
     * negative: {@code -p} per ten thousand, so {@code 6.25%} is {@code -625}).
     */
    private static long bytes(Map<String, Sourced> values, String key, long max, boolean percentAllowed,
                              long fallback) throws ConfigException {
        Sourced s = values.get(key);
        if (s == null) {
            return fallback;
        }
        String v = s.value().trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (percentAllowed && v.endsWith("%")) {
                double p = Double.parseDouble(v.substring(0, v.length() - 1).trim());
                if (p >= 0 && p <= 50) {
                    long basisPoints = Math.round(p * 100);
                    return basisPoints == 0 ? 0 : -basisPoints;
                }
            } else {
                String digits = v.replaceFirst("(ib|b)$", "");
                long unit = 1;
                if (!digits.isEmpty() && "kmg".indexOf(digits.charAt(digits.length() - 1)) >= 0) {
                    unit = 1L << (10 * (1 + "kmg".indexOf(digits.charAt(digits.length() - 1))));
                    digits = digits.substring(0, digits.length() - 1).trim();
                }
                long n = Long.parseLong(digits);
                if (n >= 0 && n <= max / unit) {
                    return n * unit;
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below, with what is accepted
        }
        throw rejected(s, key, KEYS.get(key));
    }

    private static Report report(Map<String, Sourced> values, String key) throws ConfigException {
        Sourced s = values.get(key);
        if (s == null || s.value().trim().equalsIgnoreCase("none")) {
            return Report.NONE;
        }
        if (s.value().trim().equalsIgnoreCase("exit")) {
            return Report.EXIT;
        }
        throw rejected(s, key, KEYS.get(key));
    }

    private static @Nullable Path writableFile(Map<String, Sourced> values, String key) throws ConfigException {
        Sourced s = values.get(key);
        if (s == null) {
            return null;
        }
        try {
            Path p = Path.of(s.value().trim()).toAbsolutePath();
            Path dir = p.getParent();
            if (s.value().isBlank() || Files.isDirectory(p) || dir == null || !Files.isDirectory(dir)
                    || !Files.isWritable(dir)) {
                throw rejected(s, key, KEYS.get(key) + " (its directory must exist and be writable)");
            }
            return p;
        } catch (java.nio.file.InvalidPathException e) {
            throw rejected(s, key, KEYS.get(key));
        }
    }

    private static @Nullable Path directory(Map<String, Sourced> values, String key) throws ConfigException {
        return directory(values, key, true);
    }

    private static @Nullable Path directory(Map<String, Sourced> values, String key, boolean writable)
            throws ConfigException {
        Sourced s = values.get(key);
        if (s == null) {
            return null;
        }
        try {
            if (s.value().isBlank()) {
                throw rejected(s, key, KEYS.get(key));
            }
            Path p = Path.of(s.value().trim()).toAbsolutePath();
            Files.createDirectories(p);
            if (writable && !Files.isWritable(p)) {
                throw rejected(s, key, KEYS.get(key) + " (it is not writable)");
            }
            return p;
        } catch (java.nio.file.InvalidPathException | IOException e) {
            throw rejected(s, key, KEYS.get(key) + " (" + e.getMessage() + ")");
        }
    }

    /**
     * A directory Shelf takes code from: what is in it ends up in the application's classes, so, like a class path
     * directory, it must not be open to other users' writes (on file systems that have POSIX permissions). It may be
     * read-only — a cache baked into a container image is used as it is.
     */
    private static @Nullable Path privateDirectory(Map<String, Sourced> values, String key) throws ConfigException {
        Path p = directory(values, key, false);
        if (p == null) {
            return null;
        }
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE)) {
                // directory() found the key set
                throw rejected(Objects.requireNonNull(values.get(key)), key, KEYS.get(key) + " (other users can write "
                        + "to it, and what is in it becomes the application's code)");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // No POSIX permissions here: nothing to check.
        }
        return p;
    }

    /**
     * Whether classes of the package of {@code internalName} may be rewritten under {@code include}/{@code exclude}.
     *
     * @param internalName a class name with slashes, e.g. {@code com/acme/Order}
     * @return {@code true} when the class is in scope
     */
    public boolean inScope(String internalName) {
        String name = internalName.replace('/', '.');
        for (String prefix : exclude) {
            if (matches(name, prefix)) {
                return false;
            }
        }
        if (include.isEmpty()) {
            return true;
        }
        for (String prefix : include) {
            if (matches(name, prefix)) {
                return true;
            }
        }
        return false;
    }

    /** {@code com.acme} matches {@code com.acme.X} and {@code com.acme.sub.Y}, not {@code com.acmez.Z}. */
    private static boolean matches(String className, String prefix) {
        return className.startsWith(prefix) && (className.length() == prefix.length()
                || className.charAt(prefix.length()) == '.' || prefix.endsWith("."));
    }

    /** A setting's raw text and a human description of where it was found. */
    record Sourced(String value, String source) {
    }

    private static void readFile(Path path, Map<String, Sourced> into) throws ConfigException {
        String where = "config file " + path.toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(where + ": cannot be read (no such file); config= takes the path of a "
                    + "readable properties file");
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(where + ": cannot be read (" + e.getMessage()
                    + "); expected a UTF-8 properties file");
        }
        List<String> keys = new ArrayList<>(props.stringPropertyNames());
        Collections.sort(keys);
        for (String key : keys) {
            into.put(key, new Sourced(props.getProperty(key), where));
        }
    }

    private static Map<String, String> parseAgentArgs(String agentArgs) throws ConfigException {
        Map<String, String> out = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return out;
        }
        String lastKey = null;
        for (String piece : agentArgs.split(",", 0)) { // limit 0: a trailing comma leaves no empty piece
            int eq = piece.indexOf('=');
            if (eq < 0) {
                if (lastKey == null || piece.isBlank()) {
                    throw new ConfigException("agent argument: '" + piece + "' is not key=value; expected "
                            + "config=PATH or key=value pairs separated by commas");
                }
                out.put(lastKey, out.get(lastKey) + "," + piece);
                continue;
            }
            lastKey = piece.substring(0, eq).trim();
            if (lastKey.isEmpty()) {
                throw new ConfigException("agent argument: '" + piece + "' has no key; expected key=value");
            }
            out.put(lastKey, piece.substring(eq + 1).trim());
        }
        return out;
    }

    private static boolean bool(Map<String, Sourced> values, String key, boolean fallback) throws ConfigException {
        Sourced s = values.get(key);
        if (s == null) {
            return fallback;
        }
        String v = s.value().trim();
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw rejected(s, key, KEYS.get(key));
    }

    private static boolean mode(Map<String, Sourced> values, String key) throws ConfigException {
        Sourced s = values.get(key);
        if (s == null || s.value().trim().equalsIgnoreCase("normal")) {
            return false;
        }
        if (s.value().trim().equalsIgnoreCase("strict")) {
            return true;
        }
        throw rejected(s, key, KEYS.get(key));
    }

    private static int positiveInt(Map<String, Sourced> values, String key, int fallback) throws ConfigException {
        return intInRange(values, key, 1, fallback);
    }

    private static int intInRange(Map<String, Sourced> values, String key, int min, int fallback)
            throws ConfigException {
        return intInRange(values, key, min, MAX_CAPACITY, fallback);
    }

    private static int intInRange(Map<String, Sourced> values, String key, int min, int max, int fallback)
            throws ConfigException {
        Sourced s = values.get(key);
        if (s == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(s.value().trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with what is accepted
        }
        throw rejected(s, key, KEYS.get(key));
    }

    private static Eviction eviction(Map<String, Sourced> values, String key, Eviction fallback)
            throws ConfigException {
        Sourced s = values.get(key);
        if (s == null) {
            return fallback;
        }
        String v = s.value().trim();
        for (Eviction e : Eviction.values()) {
            if (v.equalsIgnoreCase(e.name())) {
                return e;
            }
        }
        throw rejected(s, key, KEYS.get(key));
    }

    private static List<String> packages(Map<String, Sourced> values, String key) throws ConfigException {
        Sourced s = values.get(key);
        if (s == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : s.value().split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (!isPackageName(p)) {
                throw new ConfigException(s.source() + ": " + key + "='" + s.value() + "' is not accepted: '" + p
                        + "' is not a package name; expected " + KEYS.get(key));
            }
            out.add(p);
        }
        return out;
    }

    /**
     * A package name or prefix: Java identifiers separated by dots, optionally ending in one ({@code com.acme.}).
     * Checked by hand rather than with a regular expression, which would load and initialise {@code java.util.regex}
     * in {@code premain} (~4 ms at start-up).
     */
    static boolean isPackageName(String p) {
        int end = p.endsWith(".") ? p.length() - 1 : p.length();
        boolean segmentStart = true;
        for (int i = 0; i < end; i++) {
            char c = p.charAt(i);
            if (segmentStart) {
                if (!Character.isJavaIdentifierStart(c)) {
                    return false;
                }
                segmentStart = false;
            } else if (c == '.') {
                segmentStart = true;
            } else if (!Character.isJavaIdentifierPart(c)) {
                return false;
            }
        }
        return end > 0 && !segmentStart;
    }

    private static ConfigException rejected(Sourced s, String key, @Nullable String accepted) {
        return new ConfigException(s.source() + ": " + key + "='" + s.value() + "' is not accepted; expected "
                + accepted);
    }

    /** Returns the names of every accepted key. */
    public static Set<String> knownKeys() {
        return KEYS.keySet();
    }
}
