package org.skerry.server.config;

/**
 * Where a configuration value came from, so that an error can point the admin at the exact place to fix:
 * a line of the file, a {@code --set} argument, an environment variable, or the built-in default.
 */
record Origin(Source source, String where, int line) {

    enum Source { DEFAULT, FILE, ENVIRONMENT, COMMAND_LINE }

    static final Origin DEFAULT = new Origin(Source.DEFAULT, "default", 0);

    static Origin file(String file, int line) {
        return new Origin(Source.FILE, file, line);
    }

    static Origin environment(String variable) {
        return new Origin(Source.ENVIRONMENT, variable, 0);
    }

    static Origin commandLine() {
        return new Origin(Source.COMMAND_LINE, "--set", 0);
    }

    /** An error about {@code key} at this origin; {@code key} may be "" for errors that concern no key. */
    ConfigException error(String key, String reason) {
        return error(key, reason, null);
    }

    ConfigException error(String key, String reason, Throwable cause) {
        String keyPart = key.isEmpty() ? "" : key + ": ";
        String message = switch (source) {
            case FILE -> where + (line > 0 ? ":" + line : "") + ": " + keyPart + reason;
            // The variable name already says which key it is.
            case ENVIRONMENT -> where + ": " + reason;
            case COMMAND_LINE -> "--set " + keyPart + reason;
            case DEFAULT -> "default " + keyPart + reason;
        };
        return new ConfigException(key, line, reason, message, cause);
    }
}
