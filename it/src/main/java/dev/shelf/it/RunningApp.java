package dev.shelf.it;

import java.io.IOException;
import java.nio.file.Path;

/** A sample app that is up and listening on 127.0.0.1: a local process ({@link SampleApp}) or a container. */
public interface RunningApp extends AutoCloseable {

    /** @return which app this is */
    App app();

    /** @return the port it listens on, on 127.0.0.1 */
    int port();

    /**
     * Fetches the app's statistics document.
     *
     * @return the current statistics
     * @throws IOException if the request fails
     */
    default ServerStats stats() throws IOException {
        return app().stats(port());
    }

    /** @return the file the app's output goes to (the agent's log lines too) */
    Path log();

    /**
     * The last lines of the app's output, for assertion messages.
     *
     * @param lines how many
     * @return the lines, joined
     */
    String logTail(int lines);

    /**
     * Whether the app was killed for exceeding its memory limit. Only a container has one; call before
     * {@link #close()}.
     *
     * @return {@code true} if the kernel's OOM killer ended it
     */
    default boolean oomKilled() {
        return false;
    }

    /** Stops the app. Safe to call more than once. */
    @Override
    void close();
}
