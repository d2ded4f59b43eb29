package org.skerry.interop.federation.vysper;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every XML element Vysper writes ("> ...") and reads ("< ..."), on all its streams, as its own stanza logger
 * ({@code stanza.server} / {@code stanza.client}) prints them: evidence of what Vysper actually said on the wire.
 */
public final class VysperTranscript extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private static final String VYSPER_STANZA_LOGGER = "stanza";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(VYSPER_STANZA_LOGGER);
    private final Level previousLevel = logger.getLevel();
    private final boolean previousAdditivity = logger.isAdditive();

    private VysperTranscript() {}

    /** Starts recording; {@link #close()} stops and restores the logger. */
    public static VysperTranscript record() {
        VysperTranscript transcript = new VysperTranscript();
        transcript.setContext(transcript.logger.getLoggerContext());
        transcript.start();
        transcript.logger.addAppender(transcript);
        // Debug is the level at which Vysper logs whole elements; kept out of the console.
        transcript.logger.setLevel(Level.DEBUG);
        transcript.logger.setAdditive(false);
        return transcript;
    }

    @Override
    protected void append(ILoggingEvent event) { lines.add(event.getFormattedMessage()); }

    /** Elements Vysper wrote, in order. */
    public List<String> sent() { return withPrefix("> "); }

    /** Elements Vysper read, in order. */
    public List<String> received() { return withPrefix("< "); }

    private List<String> withPrefix(String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).map(line -> line.substring(prefix.length())).toList();
    }

    /** Every element, "> " written and "< " read, one per line. */
    @Override
    public String toString() { return String.join("\n", lines); }

    @Override
    public void close() {
        logger.detachAppender(this);
        logger.setLevel(previousLevel);
        logger.setAdditive(previousAdditivity);
        stop();
    }
}
