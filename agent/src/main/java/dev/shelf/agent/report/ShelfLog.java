package dev.shelf.agent.report;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The agent's only output channel: single lines on standard error, each prefixed {@code [shelf]}.
 *
 * <p>Standard error and nothing else, because the agent runs before (and inside) the application's class loading:
 * touching a logging framework from a class file transformer can load and initialise application classes at the
 * worst moment. Warnings are printed once per subject, so that a class referenced from a thousand places produces
 * one line, not a thousand.
 */
public final class ShelfLog {

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    private static volatile boolean explain;
    /** Where lines go instead of standard error: the build-time weaver hands them to the build's log. */
    private static volatile @Nullable Consumer<String> sink;

    private ShelfLog() {
    }

    /**
     * Turns explain mode on or off.
     *
     * @param on whether {@link #explain(String)} lines are printed ({@code shelf.explain})
     */
    public static void setExplain(boolean on) {
        explain = on;
    }

    /** Returns whether explain mode is on. */
    public static boolean explaining() {
        return explain;
    }

    /**
     * Prints a warning the first time {@code subject} is warned about.
     *
     * @param subject what the warning is about (a class name, a site); repeats are dropped
     * @param message the whole line after the prefix
     */
    public static void warnOnce(String subject, String message) {
        if (WARNED.add(subject)) {
            print("[shelf] WARN " + message);
        }
    }

    /**
     * Sends every line (with its {@code [shelf]} prefix) to {@code to} instead of standard error; for the build-time
     * weaver, whose output belongs in the build's log.
     *
     * @param to where lines go, or {@code null} for standard error again
     */
    public static void redirect(@Nullable Consumer<String> to) {
        sink = to;
    }

    private static void print(String line) {
        Consumer<String> to = sink;
        if (to != null) {
            to.accept(line);
        } else {
            System.err.println(line);
        }
    }

    /** Forgets which subjects were warned about; for tests that check a warning appears (once). */
    public static void forgetWarnings() {
        WARNED.clear();
    }

    /**
     * Prints an explain-mode line (only when {@code shelf.explain=true}).
     *
     * @param message the line after the prefix
     */
    public static void explain(String message) {
        if (explain) {
            print("[shelf] " + message);
        }
    }

    /**
     * Prints an informational line unconditionally; used once at start.
     *
     * @param message the line after the prefix
     */
    public static void info(String message) {
        print("[shelf] " + message);
    }
}
