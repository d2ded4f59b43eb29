package org.skerry.server.config;

/**
 * {@code [log]}: how much the node logs.
 *
 * @param level the root log level
 */
public record LogConfig(Level level) {

    /** Log levels, as written in the file in lower case. */
    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    static LogConfig from(ResolvedValues v) throws ConfigException {
        return new LogConfig(v.choice("log.level", Level.class));
    }
}
