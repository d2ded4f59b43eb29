package org.skerry.server.config;

/**
 * A configuration that cannot be used, with a reason that names the key and where it was set, e.g.
 * {@code conf/skerry.toml:12: c2s.port: must be between 0 and 65535 (got 70000)},
 * {@code --set c2s.port: ...} or {@code SKERRY_C2S_PORT: ...}. The launcher prints {@link #getMessage()} as
 * its one-line reason and exits with status 2.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final int line;
    private final String reason;

    /**
     * For problems that are found after loading, when a value is used (for example a certificate file that
     * cannot be read): the message is {@code key: reason}.
     */
    public ConfigException(String key, String reason) {
        this(key, 0, reason, key + ": " + reason, null);
    }

    ConfigException(String key, int line, String reason, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
        this.line = line;
        this.reason = reason;
    }

    /** The dotted key ({@code c2s.port}), the environment variable name for an unknown one, or "" if none applies. */
    public String key() {
        return key;
    }

    /** The 1-based line in the configuration file, or 0 when the value did not come from a file line. */
    public int line() {
        return line;
    }

    /** What is wrong, without the location: {@code must be between 0 and 65535 (got 70000)}. */
    public String reason() {
        return reason;
    }
}
