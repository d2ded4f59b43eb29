package org.skerry.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Messages held for offline users (XEP-0160), with a per-user quota.
 *
 * <p>Delivery is deliver-then-delete: the caller {@link #fetch}es, delivers, and only then
 * {@link #delete}s the ids it delivered, so a failed delivery loses nothing (at worst a message is
 * delivered twice after a crash in between, which XMPP clients tolerate better than a loss).
 */
public final class OfflineRepository {
    private final Database database;

    public OfflineRepository(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /**
     * Stores a message unless the user already holds {@code maxPerUser} of them. The quota check and the
     * insert are one transaction under the user's row lock, so concurrent stores never exceed the quota.
     * Committed before it returns.
     *
     * @param storedAt kept with microsecond precision (finer digits are truncated)
     * @return false if the quota is reached (the caller bounces the message with an error)
     * @throws NoSuchAccountException if the user has no account
     */
    public boolean store(String domain, String username, String stanzaXml, Instant storedAt, int maxPerUser) {
        AccountRows.requireNonNull(domain, username);
        Objects.requireNonNull(stanzaXml, "stanzaXml");
        Objects.requireNonNull(storedAt, "storedAt");
        if (maxPerUser < 0) {
            throw new IllegalArgumentException("maxPerUser must not be negative, got " + maxPerUser);
        }
        return database.inTransaction(connection -> {
            AccountRows.lock(connection, domain, username);
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT COUNT(*) FROM offline_messages WHERE domain = ? AND username = ?")) {
                count.setString(1, domain);
                count.setString(2, username);
                if (AccountRepository.single(count) >= maxPerUser) {
                    return false;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO offline_messages (domain, username, stanza, stored_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, domain);
                insert.setString(2, username);
                insert.setString(3, stanzaXml);
                insert.setObject(4, OffsetDateTime.ofInstant(storedAt.truncatedTo(ChronoUnit.MICROS),
                        ZoneOffset.UTC));
                insert.executeUpdate();
            }
            return true;
        });
    }

    /** Up to {@code limit} of the user's messages, oldest first. */
    public List<OfflineMessage> fetch(String domain, String username, int limit) {
        AccountRows.requireNonNull(domain, username);
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, stanza, stored_at FROM offline_messages WHERE domain = ? AND username = ?"
                            + " ORDER BY id LIMIT ?")) {
                select.setString(1, domain);
                select.setString(2, username);
                select.setInt(3, limit);
                List<OfflineMessage> messages = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        messages.add(new OfflineMessage(rows.getLong(1), rows.getString(2),
                                rows.getObject(3, OffsetDateTime.class).toInstant()));
                    }
                }
                return messages;
            }
        });
    }

    /**
     * Deletes the given messages of the user, in one transaction. Ids of other users' messages and ids
     * that no longer exist are ignored, so a repeated delete is harmless.
     */
    public void delete(String domain, String username, List<Long> ids) {
        AccountRows.requireNonNull(domain, username);
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            return;
        }
        database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM offline_messages WHERE domain = ? AND username = ? AND id = ?")) {
                for (Long id : ids) {
                    delete.setString(1, domain);
                    delete.setString(2, username);
                    delete.setLong(3, Objects.requireNonNull(id, "id"));
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            return null;
        });
    }

    /** How many messages the user has waiting. */
    public long count(String domain, String username) {
        AccountRows.requireNonNull(domain, username);
        return database.inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT COUNT(*) FROM offline_messages WHERE domain = ? AND username = ?")) {
                count.setString(1, domain);
                count.setString(2, username);
                return AccountRepository.single(count);
            }
        });
    }
}
