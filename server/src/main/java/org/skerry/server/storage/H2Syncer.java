package org.skerry.server.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forces an embedded H2 file to disk once a second ({@code CHECKPOINT SYNC}), on a thread and a connection of its
 * own so that no storage worker waits for the disk.
 *
 * <p>Why: with {@code WRITE_DELAY=0} every commit reaches the operating system at once, which is all a killed
 * process needs, but the OS writes it to the disk when it likes (Linux: within about 30 s), so a power cut could take
 * that much committed data with it; now about a second (the interval plus up to two syncs). It is also what lets
 * {@link H2Url#FILE_DEFAULT_SETTINGS} shorten H2's {@code RETENTION_TIME} to 5 s: a chunk is then reused only after
 * the chunks that replaced it have been on the disk for a few seconds, unless syncs get slower than that, which is
 * logged.
 *
 * <p>The thread ({@link SyncThread}) is never interrupted: an interrupt during a file operation closes H2's file
 * channel, and with it the database.
 */
final class H2Syncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(H2Syncer.class);

    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** A sync slower than this eats into the margin that {@code RETENTION_TIME} leaves. */
    static final Duration SLOW = Duration.ofSeconds(2);

    private final String url;
    private final String user;
    private final String password;
    private final AtomicLong completed = new AtomicLong();
    private final SyncThread thread;
    private volatile boolean stopping;
    /** Used and closed by the sync thread only. */
    private Connection connection;
    private boolean failing;

    private H2Syncer(String url, String user, String password, Connection connection) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.connection = connection;
        this.thread = new SyncThread("skerry-db-sync", INTERVAL, this::syncOnce, this::closeConnection);
    }

    /**
     * Starts syncing the H2 database of {@code url}.
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
        H2Syncer syncer = new H2Syncer(url, user, password, connection);
        syncer.thread.start();
        return syncer;
    }

    /** How many syncs have completed. */
    long completed() {
        return completed.get();
    }

    private void syncOnce() {
        long start = System.nanoTime();
        try {
            if (connection == null || connection.isClosed()) {
                // Closed under us (the database was shut down and opened again): sync through a new connection.
                connection = DriverManager.getConnection(url, user, password);
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT SYNC");
            }
        } catch (SQLException | RuntimeException e) {
            failed(e);
            return;
        }
        completed.incrementAndGet();
        if (failing) {
            LOG.info("The H2 file is forced to disk again");
            failing = false;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (took.compareTo(SLOW) > 0) {
            LOG.warn("Forcing the H2 file to disk took {} ms; H2 reuses a chunk's space once it is older than"
                    + " RETENTION_TIME (5 s unless storage.url sets it), so with a disk this slow a power cut could"
                    + " damage the file. Check the disk, or set a longer RETENTION_TIME in storage.url",
                    took.toMillis());
        }
    }

    private void failed(Exception e) {
        closeConnection();
        if (stopping || closedForShutdown(e)) {
            LOG.debug("H2 sync skipped: {}", e.toString());
        } else if (!failing) {
            LOG.error("Cannot force the H2 file to disk ({}); committed data reaches the disk only when the operating"
                    + " system writes it. Retrying every second", e.getMessage());
            failing = true;
        }
    }

    /** The JVM is exiting and H2's own exit hook closed the database before the node closed it. */
    private static boolean closedForShutdown(Exception e) {
        return e instanceof SQLException sql && (sql.getErrorCode() == ErrorCode.DATABASE_CALLED_AT_SHUTDOWN
                || sql.getErrorCode() == ErrorCode.DATABASE_IS_CLOSED);
    }

    private void closeConnection() {
        Connection current = connection;
        connection = null;
        if (current != null) {
            try {
                current.close();
            } catch (SQLException e) {
                LOG.debug("Closing the H2 sync connection: {}", e.toString());
            }
        }
    }

    /** Stops the thread, which closes its connection after a sync in progress. */
    @Override
    public void close() {
        stopping = true;
        thread.close();
    }
}
