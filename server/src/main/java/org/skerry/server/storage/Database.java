package org.skerry.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's database: an embedded H2 file by default, or PostgreSQL 15+, behind one HikariCP pool.
 *
 * <p>{@link #open} brings the schema up to date with Flyway (one set of migrations for both databases,
 * {@code classpath:db/migration}) before anything else may use it. All access is synchronous JDBC; callers
 * run it on an {@link OrderedExecutor}, never on a network event loop.
 *
 * <p>Every write is committed before the repository method returns, so a caller may acknowledge a stanza
 * as soon as the call returns.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final String jdbcUrl;
    private final boolean postgres;
    /** Forces an embedded H2 file to disk every second; null for PostgreSQL and in-memory or server-mode H2. */
    private final H2Syncer syncer;

    private Database(HikariDataSource pool, String jdbcUrl, boolean postgres, H2Syncer syncer) {
        this.pool = pool;
        this.jdbcUrl = jdbcUrl;
        this.postgres = postgres;
        this.syncer = syncer;
    }

    /**
     * Opens the database and migrates its schema.
     *
     * <p>For an H2 URL: the directory of a file database is created, an implicitly relative path
     * ({@code data/skerry}) is made explicit ({@code ./data/skerry}), and
     * {@code MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;FILE_LOCK=FS} (plus
     * {@code LOCK_TIMEOUT=10000}, and for a file {@code RETENTION_TIME=5000}, unless given) are appended when absent,
     * and a file database is forced to disk every second ({@link H2Syncer}).
     *
     * @throws IllegalArgumentException if the URL is neither H2 nor PostgreSQL, or an H2 URL sets one of
     *     the required settings to a different value
     * @throws StorageException if the database cannot be reached or migrated
     */
    public static Database open(String jdbcUrl, String user, String password, int poolSize) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, got " + poolSize);
        }
        boolean postgres = jdbcUrl.regionMatches(true, 0, "jdbc:postgresql:", 0, 16);
        String url = jdbcUrl;
        if (H2Url.isH2(url)) {
            url = H2Url.withRequiredSettings(H2Url.withExplicitRelativePath(url));
            createParentDirectory(H2Url.filePath(url));
        } else if (!postgres) {
            throw new IllegalArgumentException("unsupported database URL (want jdbc:h2: or jdbc:postgresql:): "
                    + jdbcUrl);
        }

        migrate(url, user, password);

        HikariConfig config = new HikariConfig();
        config.setPoolName("skerry-db");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(poolSize, 2));
        // Transactions are explicit (inTransaction), so a forgotten commit cannot half-apply a change.
        config.setAutoCommit(false);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StorageException("cannot connect to " + redact(url) + ": " + e.getMessage(), e);
        }
        H2Syncer syncer = null;
        if (H2Url.isFileDatabase(url)) {
            try {
                syncer = H2Syncer.start(url, user, password);
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }
        LOG.info("Database ready: {}", redact(url));
        return new Database(pool, url, postgres, syncer);
    }

    /**
     * Brings the schema up to date before the pool exists. Flyway gets its own unpooled connections
     * because it needs more than one at a time, which a pool of size 1 could never give it.
     *
     * <p>Modules outside the core (federation) ship their own migrations in {@code db/migration}; a database they
     * migrated must still open from a classpath without them (the core's own tests, a trimmed build), so applied
     * migrations that are missing here are tolerated rather than refused.
     */
    private static void migrate(String url, String user, String password) {
        try {
            Flyway.configure()
                    .dataSource(url, user, password)
                    .locations("classpath:db/migration")
                    .ignoreMigrationPatterns("*:missing")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StorageException("cannot migrate the schema of " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    private static void createParentDirectory(Optional<Path> databasePath) {
        databasePath.map(Path::toAbsolutePath).map(Path::getParent).ifPresent(dir -> {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the database directory " + dir, e);
            }
        });
    }

    /** PostgreSQL URLs may carry a password parameter; keep it out of logs and messages. */
    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    /** The pooled data source; connections come with auto-commit off. */
    public DataSource dataSource() {
        return pool;
    }

    /** The URL actually used, with the H2 settings that {@link #open} appended. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** True on PostgreSQL, false on H2. */
    public boolean isPostgres() {
        return postgres;
    }

    /**
     * The base path of an embedded H2 file database (H2 adds {@code .mv.db}); empty for PostgreSQL, in-memory and
     * server-mode H2. Other stores of the node that live beside the database go in its directory.
     */
    public Optional<Path> embeddedFile() {
        return H2Url.isFileDatabase(jdbcUrl) ? H2Url.filePath(jdbcUrl) : Optional.empty();
    }

    /**
     * How much disk the database takes: PostgreSQL's {@code pg_database_size}, or the size of an H2 file database's
     * {@code .mv.db} file. Empty for in-memory and server-mode H2, whose files this node cannot see. Blocking: call
     * it on the storage executor.
     */
    public OptionalLong sizeBytes() {
        if (postgres) {
            return OptionalLong.of(inTransaction(connection -> {
                try (Statement query = connection.createStatement();
                     ResultSet result = query.executeQuery("SELECT pg_database_size(current_database())")) {
                    result.next();
                    return result.getLong(1);
                }
            }));
        }
        Optional<Path> base = H2Url.filePath(jdbcUrl);
        if (base.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Files.size(Path.of(base.get() + ".mv.db")));
        } catch (IOException e) {
            LOG.debug("Cannot read the size of the H2 file: {}", e.toString());
            return OptionalLong.empty();
        }
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws.
     *
     * @throws StorageException wrapping any {@link SQLException}; a {@link StorageException} thrown by the
     *     work itself (such as {@link NoSuchAccountException}) passes through after the rollback
     */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException(e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** How many times an embedded H2 file has been forced to disk; 0 for other databases. */
    long syncsCompleted() {
        return syncer == null ? 0 : syncer.completed();
    }

    /** Closes the pool; for an embedded H2 file this also closes the database file. */
    @Override
    public void close() {
        if (syncer != null) {
            syncer.close();
        }
        pool.close();
    }
}
