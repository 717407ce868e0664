package dev.shelf.agent.config;

/**
 * A configuration Shelf refuses to start with. The message is one complete line for the operator: where the value
 * came from, which key, what was given and what is accepted.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the whole line to print, without a prefix
     */
    public ConfigException(String message) {
        super(message);
    }
}
