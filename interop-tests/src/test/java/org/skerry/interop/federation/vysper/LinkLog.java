package org.skerry.interop.federation.vysper;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * What Vysper's s2s connector and Skerry's federation links log at INFO and above while a test runs (connector
 * started, TLS secured, dialback verdicts, link failures): printed when a federation assertion fails, so a rare
 * failure on CI says at which step the link stopped.
 */
public final class LinkLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private static final List<String> LOGGERS = List.of("org.apache.vysper", "org.skerry.federation");

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LinkLog() {}

    /** Starts recording; {@link #close()} stops. */
    public static LinkLog record() {
        LinkLog log = new LinkLog();
        log.setContext(((Logger) LoggerFactory.getLogger(LOGGERS.get(0))).getLoggerContext());
        log.start();
        LOGGERS.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).addAppender(log));
        return log;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.INFO)) {
            lines.add(event.getTimeStamp() % 100_000 + " " + event.getThreadName() + " " + event.getLoggerName()
                    + ": " + event.getFormattedMessage());
        }
    }

    @Override
    public String toString() { return String.join("\n", lines); }

    @Override
    public void close() {
        LOGGERS.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).detachAppender(this));
        stop();
    }
}
