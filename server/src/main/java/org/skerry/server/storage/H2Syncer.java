package org.skerry.server.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forces an embedded H2 file to disk once a second ({@code CHECKPOINT SYNC}), on a thread and a connection of its
 * own so that no storage worker waits for the disk.
 *
 * <p>Why: with {@code WRITE_DELAY=0} every commit reaches the operating system at once, which is all a killed
 * process needs, but the OS writes it to the disk when it likes (Linux: within about 30 s), so a power cut could take
 * that much committed data with it; now about a second. And it is what makes {@code RETENTION_TIME=5000}
 * ({@link H2Url#DEFAULT_SETTINGS}) safe: H2 may overwrite a chunk it no longer needs 5 s after that, by when the
 * chunks that replaced it have been on the disk for at least 4 s, unless a sync is that slow, which is logged.
 *
 * <p>The thread is never interrupted: an interrupt during a file operation closes H2's file channel, and with it
 * the database.
 */
final class H2Syncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(H2Syncer.class);

    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** A sync slower than this eats into the margin that {@code RETENTION_TIME} leaves. */
    static final Duration SLOW = Duration.ofSeconds(2);

    private final Connection connection;
    private final Object wakeUp = new Object();
    private final AtomicLong completed = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;
    private boolean failing;

    private H2Syncer(Connection connection) {
        this.connection = connection;
        this.thread = new Thread(this::run, "skerry-db-sync");
        thread.setDaemon(true);
    }

    /**
     * Starts syncing the H2 database of {@code url} (which must already be open or openable with the same settings).
     *
     * @throws StorageException if no connection can be opened
     */
    static H2Syncer start(String url, String user, String password) {
        Connection connection;
        try {
            connection = DriverManager.getConnection(url, user, password);
        } catch (SQLException e) {
            throw new StorageException("cannot open the H2 sync connection: " + e.getMessage(), e);
        }
        H2Syncer syncer = new H2Syncer(connection);
        syncer.thread.start();
        return syncer;
    }

    /** How many syncs have completed. */
    long completed() {
        return completed.get();
    }

    private void run() {
        while (waitForNextSync()) {
            syncOnce();
        }
    }

    /** Waits one interval; false once stopping. */
    private boolean waitForNextSync() {
        long deadline = System.nanoTime() + INTERVAL.toNanos();
        synchronized (wakeUp) {
            long left;
            while (!stopping && (left = deadline - System.nanoTime()) > 0) {
                try {
                    wakeUp.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    // Nobody interrupts this thread on purpose; keep the loop's own stop condition.
                }
            }
        }
        return !stopping;
    }

    private void syncOnce() {
        long start = System.nanoTime();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
            completed.incrementAndGet();
            if (failing) {
                LOG.info("The H2 file is forced to disk again");
                failing = false;
            }
        } catch (SQLException e) {
            if (!stopping && !failing) {
                LOG.warn("Cannot force the H2 file to disk ({}); committed data reaches the disk when the operating"
                        + " system writes it", e.getMessage());
                failing = true;
            }
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (took.compareTo(SLOW) > 0) {
            LOG.warn("Forcing the H2 file to disk took {} ms; H2 reuses space after 5 s (RETENTION_TIME), so a power"
                    + " cut during syncs this slow could damage the file. Check the disk, or raise RETENTION_TIME in"
                    + " storage.url", took.toMillis());
        }
    }

    /** Stops the thread (after a sync in progress) and closes the connection. */
    @Override
    public void close() {
        stopping = true;
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
        try {
            thread.join(SLOW.toMillis() * 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the H2 sync connection: {}", e.toString());
        }
    }
}
