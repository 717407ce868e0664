package dev.shelf.agent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Captures what the agent prints: its warnings go to standard error, and tests check them word for word. */
final class StdErr {

    /** Code that may throw. */
    interface Action {
        void run() throws Exception;
    }

    private StdErr() {
    }

    /**
     * Runs {@code action} with standard error redirected.
     *
     * @param action what to run
     * @return everything printed to standard error meanwhile
     * @throws Exception whatever the action throws
     */
    static String capture(Action action) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(saved);
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
