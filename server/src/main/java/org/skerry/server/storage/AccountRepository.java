package org.skerry.server.storage;

import org.skerry.server.auth.ScramCredential;
import org.skerry.server.auth.ScramHash;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Accounts of the local domains and their SCRAM credentials.
 *
 * <p>An account is ({@code domain}, {@code username}), where {@code username} is the JID localpart.
 * Storage compares both exactly: callers pass PRECIS-prepared, lower-cased values (as jxmpp-jid gives
 * them), never raw user input. Passwords are never stored, only {@link ScramCredential}s (salt, iterations, StoredKey, ServerKey).
 */
public final class AccountRepository {
    private final Database database;

    public AccountRepository(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /**
     * Creates an account with its credentials, in one transaction.
     *
     * @return false if the account already exists (nothing is changed then)
     * @throws IllegalArgumentException if two credentials have the same mechanism
     */
    public boolean create(String domain, String username, List<ScramCredential> credentials) {
        AccountRows.requireNonNull(domain, username);
        List<ScramCredential> checked = distinctMechanisms(credentials);
        try {
            return database.inTransaction(connection -> {
                if (existsIn(connection, domain, username)) {
                    return false;
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO accounts (domain, username) VALUES (?, ?)")) {
                    insert.setString(1, domain);
                    insert.setString(2, username);
                    insert.executeUpdate();
                }
                insertCredentials(connection, domain, username, checked);
                return true;
            });
        } catch (StorageException e) {
            // Two concurrent creates of one name: the loser's insert violates the primary key.
            if (StorageException.UNIQUE_VIOLATION.equals(e.sqlState())) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Deletes an account and, through the schema's cascades, everything of that user: credentials,
     * roster, offline messages, private XML.
     *
     * @return false if there was no such account
     */
    public boolean delete(String domain, String username) {
        AccountRows.requireNonNull(domain, username);
        return database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM accounts WHERE domain = ? AND username = ?")) {
                delete.setString(1, domain);
                delete.setString(2, username);
                return delete.executeUpdate() > 0;
            }
        });
    }

    public boolean exists(String domain, String username) {
        AccountRows.requireNonNull(domain, username);
        return database.inTransaction(connection -> existsIn(connection, domain, username));
    }

    /** The usernames of a domain, sorted. */
    public List<String> list(String domain) {
        Objects.requireNonNull(domain, "domain");
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT username FROM accounts WHERE domain = ? ORDER BY username")) {
                select.setString(1, domain);
                List<String> usernames = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        usernames.add(rows.getString(1));
                    }
                }
                return usernames;
            }
        });
    }

    /** The number of accounts of a domain. */
    public long count(String domain) {
        Objects.requireNonNull(domain, "domain");
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT COUNT(*) FROM accounts WHERE domain = ?")) {
                select.setString(1, domain);
                return single(select);
            }
        });
    }

    /** The number of accounts of all domains. */
    public long countAll() {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM accounts")) {
                return single(select);
            }
        });
    }

    /**
     * One page of a domain's accounts whose username contains {@code fragment} (all when empty), sorted by
     * username. {@code %}, {@code _} and the escape character in the fragment match literally.
     */
    public List<AccountSummary> search(String domain, String fragment, int offset, int limit) {
        Objects.requireNonNull(domain, "domain");
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT username, created_at, locked_at FROM accounts WHERE domain = ? AND username LIKE ? ESCAPE '!'"
                            + " ORDER BY username LIMIT ? OFFSET ?")) {
                select.setString(1, domain);
                select.setString(2, containsPattern(fragment));
                select.setInt(3, limit);
                select.setInt(4, offset);
                List<AccountSummary> page = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        page.add(summary(domain, rows));
                    }
                }
                return page;
            }
        });
    }

    /** How many accounts of a domain {@link #search} finds for {@code fragment}. */
    public long countMatching(String domain, String fragment) {
        Objects.requireNonNull(domain, "domain");
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT COUNT(*) FROM accounts WHERE domain = ? AND username LIKE ? ESCAPE '!'")) {
                select.setString(1, domain);
                select.setString(2, containsPattern(fragment));
                return single(select);
            }
        });
    }

    /** One account's summary, if it exists. */
    public Optional<AccountSummary> summary(String domain, String username) {
        AccountRows.requireNonNull(domain, username);
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT username, created_at, locked_at FROM accounts WHERE domain = ? AND username = ?")) {
                select.setString(1, domain);
                select.setString(2, username);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(summary(domain, row)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Locks an account as of {@code at}, or unlocks it ({@code at} null). Locking a locked account keeps the
     * time it was first locked.
     *
     * @return false if there is no such account
     */
    public boolean setLocked(String domain, String username, Instant at) {
        AccountRows.requireNonNull(domain, username);
        return database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(at == null
                    ? "UPDATE accounts SET locked_at = NULL WHERE domain = ? AND username = ?"
                    : "UPDATE accounts SET locked_at = COALESCE(locked_at, ?) WHERE domain = ? AND username = ?")) {
                int i = 1;
                if (at != null) {
                    update.setObject(i++, OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
                }
                update.setString(i++, domain);
                update.setString(i, username);
                return update.executeUpdate() > 0;
            }
        });
    }

    /** Every locked account of every domain (few, read once at start-up). */
    public List<AccountSummary> locked() {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT domain, username, created_at, locked_at FROM accounts WHERE locked_at IS NOT NULL")) {
                List<AccountSummary> out = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        out.add(new AccountSummary(rows.getString(1), rows.getString(2),
                                rows.getObject(3, OffsetDateTime.class).toInstant(), instant(rows, 4)));
                    }
                }
                return out;
            }
        });
    }

    private static AccountSummary summary(String domain, ResultSet row) throws SQLException {
        return new AccountSummary(domain, row.getString(1), row.getObject(2, OffsetDateTime.class).toInstant(),
                instant(row, 3));
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** A LIKE pattern for "contains"; '!' escapes, so that no backslash has to survive string-literal rules. */
    private static String containsPattern(String fragment) {
        String text = fragment == null ? "" : fragment;
        return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    /** The credential of an account for one SCRAM hash, if the account has one. */
    public Optional<ScramCredential> credential(String domain, String username, ScramHash hash) {
        AccountRows.requireNonNull(domain, username);
        Objects.requireNonNull(hash, "hash");
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT salt, iterations, stored_key, server_key FROM credentials"
                            + " WHERE domain = ? AND username = ? AND mechanism = ?")) {
                select.setString(1, domain);
                select.setString(2, username);
                select.setString(3, hash.mechanismName());
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new ScramCredential(hash, row.getBytes(1), row.getInt(2),
                            row.getBytes(3), row.getBytes(4)));
                }
            }
        });
    }

    /**
     * Replaces all credentials of an account (a password change), in one transaction: a login that
     * races with it sees either the old set or the new one, never a mix.
     *
     * @return false if there is no such account
     */
    public boolean replaceCredentials(String domain, String username, List<ScramCredential> credentials) {
        AccountRows.requireNonNull(domain, username);
        List<ScramCredential> checked = distinctMechanisms(credentials);
        return database.inTransaction(connection -> {
            try {
                AccountRows.lock(connection, domain, username);
            } catch (NoSuchAccountException e) {
                return false;
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM credentials WHERE domain = ? AND username = ?")) {
                delete.setString(1, domain);
                delete.setString(2, username);
                delete.executeUpdate();
            }
            insertCredentials(connection, domain, username, checked);
            return true;
        });
    }

    private static List<ScramCredential> distinctMechanisms(List<ScramCredential> credentials) {
        Objects.requireNonNull(credentials, "credentials");
        Set<ScramHash> seen = new HashSet<>();
        for (ScramCredential credential : credentials) {
            Objects.requireNonNull(credential, "credential");
            if (!seen.add(credential.hash())) {
                throw new IllegalArgumentException("two credentials for " + credential.hash().mechanismName());
            }
        }
        return List.copyOf(credentials);
    }

    private static void insertCredentials(Connection connection, String domain, String username,
            List<ScramCredential> credentials) throws SQLException {
        if (credentials.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO credentials (domain, username, mechanism, salt, iterations, stored_key, server_key)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (ScramCredential credential : credentials) {
                insert.setString(1, domain);
                insert.setString(2, username);
                insert.setString(3, credential.hash().mechanismName());
                insert.setBytes(4, credential.salt());
                insert.setInt(5, credential.iterations());
                insert.setBytes(6, credential.storedKey());
                insert.setBytes(7, credential.serverKey());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static boolean existsIn(Connection connection, String domain, String username) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM accounts WHERE domain = ? AND username = ?")) {
            select.setString(1, domain);
            select.setString(2, username);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        }
    }

    static long single(PreparedStatement select) throws SQLException {
        try (ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
