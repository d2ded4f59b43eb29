package org.skerry.distribution;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code log.level} to Skerry's own loggers (libraries stay at warn unless logback.xml says otherwise). */
final class Logging {
    private Logging() {}

    static void apply(String level) {
        Logger skerry = (Logger) LoggerFactory.getLogger("org.skerry");
        skerry.setLevel(Level.toLevel(level, Level.INFO));
    }
}
