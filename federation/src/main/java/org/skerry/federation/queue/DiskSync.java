package org.skerry.federation.queue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.skerry.server.storage.SyncThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forces {@link QueueJournal}'s files to disk once a second, on a thread of its own so that no storage worker waits
 * for the disk. A write reaches the operating system at once, which is all a killed process needs; the OS writes it
 * to the disk when it likes (Linux: within about 30 s), so without this a power cut could take that much.
 *
 * <p>The thread ({@link SyncThread}) is never interrupted: an interrupt during a file operation closes the channel.
 */
final class DiskSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiskSync.class);

    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Supplier<List<FileChannel>> written;
    private final AtomicLong completed = new AtomicLong();
    private final SyncThread thread;
    private boolean failing;
    /** Files a pass could not force, tried again by the next; only the sync thread uses it. */
    private final Set<FileChannel> unforced = new LinkedHashSet<>();

    /** {@code written} hands over the files written since it was last asked. */
    DiskSync(Supplier<List<FileChannel>> written) {
        this.written = written;
        // The last pass forces what was written before close.
        this.thread = new SyncThread("skerry-queue-sync", INTERVAL, this::forceWritten, this::forceWritten);
    }

    void start() {
        thread.start();
    }

    long completed() {
        return completed.get();
    }

    private void forceWritten() {
        try {
            unforced.addAll(written.get());
        } catch (RuntimeException e) {
            log.error("Cannot list the outbound queue's files to force", e);
        }
        IOException failure = null;
        for (var channels = unforced.iterator(); channels.hasNext(); ) {
            try {
                channels.next().force(false);
                channels.remove();
            } catch (ClosedChannelException deleted) {
                // The segment was deleted, or its channel was opened again, which marks it written: the next pass
                // forces the new channel.
                channels.remove();
            } catch (IOException | RuntimeException e) { // a RuntimeException must not end every later pass
                failure = e instanceof IOException io ? io : new IOException(e);
            }
        }
        if (failure != null) {
            if (!failing) {
                log.error("Cannot force the outbound queue to disk ({}); stanzas reach the disk only when the"
                        + " operating system writes them. Retrying every second", failure.getMessage());
                failing = true;
            }
            return;
        }
        if (failing) {
            log.info("The outbound queue is forced to disk again");
            failing = false;
        }
        completed.incrementAndGet();
    }

    /** Stops the thread after a last pass. */
    @Override
    public void close() {
        thread.close();
    }
}
