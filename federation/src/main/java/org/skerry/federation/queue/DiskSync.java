package org.skerry.federation.queue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.skerry.server.storage.SyncThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forces {@link QueueJournal}'s files to disk once a second, on a thread of its own so that no storage worker waits
 * for the disk. A write reaches the operating system at once, which is all a killed process needs; the OS writes it
 * to the disk when it likes (Linux: within about 30 s), so without this a power cut could take that much.
 *
 * <p>A file's data on disk is not enough: its name in the directory is written apart from it, so a pass after a
 * segment was created (or deleted) forces the directory too. Without that a power cut could leave a forced segment
 * with no name to find it by.
 *
 * <p>The thread ({@link SyncThread}) is never interrupted: an interrupt during a file operation closes the channel.
 */
final class DiskSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DiskSync.class);

    static final Duration INTERVAL = Duration.ofSeconds(1);

    /** Java cannot open a directory as a file on Windows; there the file system's own journal has to do. */
    private static final boolean DIRECTORIES_CAN_BE_FORCED =
            !System.getProperty("os.name", "").startsWith("Windows");
    /** Where a file system refuses it, it refuses it every time: one warning per process is enough. */
    private static volatile boolean directoryFailureLogged;

    private final Supplier<List<FileChannel>> written;
    private final BooleanSupplier directoryChanged;
    private final Path directory;
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong directoryForces = new AtomicLong();
    private final SyncThread thread;
    private boolean failing;
    /** Files a pass could not force, tried again by the next; only the sync thread uses it. */
    private final Set<FileChannel> unforced = new LinkedHashSet<>();
    /** A file was created or deleted in the directory since it was last forced; only the sync thread uses it. */
    private boolean directoryUnforced;

    /**
     * {@code written} hands over the files written since it was last asked, {@code directoryChanged} whether a file
     * was created or deleted in {@code directory} since it was last asked.
     */
    DiskSync(Supplier<List<FileChannel>> written, BooleanSupplier directoryChanged, Path directory, Duration interval) {
        this.written = written;
        this.directoryChanged = directoryChanged;
        this.directory = directory;
        // The last pass forces what was written before close.
        this.thread = new SyncThread("skerry-queue-sync", interval, this::forceWritten, this::forceWritten);
    }

    void start() {
        thread.start();
    }

    long completed() {
        return completed.get();
    }

    /** How many times the journal's directory was forced; for tests. */
    long directoryForces() {
        return directoryForces.get();
    }

    /** Forces the journal's directory to disk: which files it holds. False if it could not (logged once). */
    boolean forceDirectory() {
        if (!forceDirectory(directory)) {
            return false;
        }
        directoryForces.incrementAndGet();
        return true;
    }

    /**
     * Forces {@code directory}'s entries (which files it holds) to disk, as far as its file system allows: some
     * (network and FUSE mounts) refuse it on a directory. False if it could not; the first failure is logged. Never
     * fatal: the files' data is forced either way, and refusing to queue or to compact would lose more than it saves.
     */
    static boolean forceDirectory(Path directory) {
        if (!DIRECTORIES_CAN_BE_FORCED) {
            return false;
        }
        try (FileChannel entries = FileChannel.open(directory, StandardOpenOption.READ)) {
            entries.force(true);
            return true;
        } catch (IOException | RuntimeException e) {
            if (!directoryFailureLogged) {
                directoryFailureLogged = true;
                log.warn("Cannot force the directory {} to disk ({}); after a power cut, a queue file created just"
                        + " before it could be missing", directory, e.toString());
            }
            return false;
        }
    }

    private void forceWritten() {
        try {
            // Asked first: a file created after this answer is forced by this pass or the next, its name by the next.
            directoryUnforced |= directoryChanged.getAsBoolean();
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
        if (directoryUnforced && failure == null && forceDirectory()) {
            directoryUnforced = false; // else tried again by the next pass, without failing this one
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
