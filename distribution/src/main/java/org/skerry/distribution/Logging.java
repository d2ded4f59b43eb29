package org.skerry.distribution;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Applies {@code log.level} to Skerry's own loggers (libraries stay at warn unless logback.xml says otherwise). */
final class Logging {
    private Logging() {}

    static void apply(String level) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        Logger skerry = (Logger) LoggerFactory.getLogger("org.skerry");
        skerry.setLevel(Level.toLevel(level, Level.INFO));
    }
}
