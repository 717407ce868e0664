package dev.shelf.internal.observe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every line the runtime writes to standard error: its {@code [shelf]} warnings and the exit report. Nothing else in
 * the runtime touches {@code System.err}, so what Shelf says to operators, and how often, is decided here.
 *
 * <p>Warnings are for misuse and for features that turned themselves off (a missing JDK module, a failed JMX
 * registration); each says that pooling itself is unaffected where that is so. They never throw.
 */
public final class RuntimeLog {

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private RuntimeLog() {
    }

    /**
     * Prints {@code [shelf] WARN message}.
     *
     * @param message the warning, without the prefix
     */
    public static void warn(String message) {
        System.err.println("[shelf] WARN " + message);
    }

    /**
     * Prints a warning the first time {@code subject} is warned about: one line per kind of failure, not one per pool.
     *
     * @param subject what failed (jmx, jfr, ...)
     * @param message the line after {@code [shelf] WARN }
     */
    public static void warnOnce(String subject, String message) {
        if (WARNED.add(subject)) {
            warn(message);
        }
    }

    /**
     * Prints the exit report as it is ({@link ExitReport#text()}: its lines carry their own prefix).
     *
     * @param text the report
     */
    static void report(String text) {
        System.err.print(text);
        System.err.flush();
    }
}
