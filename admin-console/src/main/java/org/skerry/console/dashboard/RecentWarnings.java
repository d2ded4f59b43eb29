package org.skerry.console.dashboard;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The last {@value #CAPACITY} warnings and errors of the log, for the dashboard: a Logback appender on the root
 * logger, added in code when the console starts, so that it works whatever logback.xml says (the distribution's, a
 * test's). It keeps text only, each message cut at {@value #MAX_MESSAGE} characters, so it stays small.
 */
public final class RecentWarnings extends UnsynchronizedAppenderBase<ILoggingEvent> {
    static final int CAPACITY = 50;
    static final int MAX_MESSAGE = 1000;

    /** One log line as the dashboard shows it; the time in ISO 8601 (UTC), to the second. */
    public record Warning(String time, String level, String logger, String message) {}

    /** Oldest first. Guarded by itself. */
    private final ArrayDeque<Warning> entries = new ArrayDeque<>(CAPACITY);

    RecentWarnings() {
        setName("skerry-console-warnings");
    }

    /**
     * Starts collecting from the root logger. When the logging back end is not Logback the list stays empty: the
     * node runs as before, it just has nothing to show.
     */
    public static RecentWarnings attach() {
        RecentWarnings warnings = new RecentWarnings();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            warnings.setContext(context);
            warnings.start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(warnings);
        }
        return warnings;
    }

    /** Stops collecting (the console stops). */
    public void detach() {
        if (getContext() instanceof LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
        }
        stop();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        Warning warning = new Warning(
                Instant.ofEpochMilli(event.getTimeStamp()).truncatedTo(ChronoUnit.SECONDS).toString(),
                event.getLevel().toString(), event.getLoggerName(), text(event));
        synchronized (entries) {
            if (entries.size() == CAPACITY) {
                entries.removeFirst();
            }
            entries.addLast(warning);
        }
    }

    /** The message, and the exception's type and message if there is one (no stack trace: the log has it). */
    private static String text(ILoggingEvent event) {
        String message = String.valueOf(event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            message += " (" + thrown.getClassName() + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage()) + ")";
        }
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
    }

    /** Newest first. */
    public List<Warning> newestFirst() {
        synchronized (entries) {
            List<Warning> newest = new ArrayList<>(entries.size());
            for (Iterator<Warning> it = entries.descendingIterator(); it.hasNext(); ) {
                newest.add(it.next());
            }
            return newest;
        }
    }
}
