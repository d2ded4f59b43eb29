package org.skerry.federation.queue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.skerry.server.storage.Database;

/**
 * The {@code federation_queue} table: the queue's store on a database server (PostgreSQL), and where queues of
 * releases before {@link QueueJournal} were kept. Blocking JDBC; every write is committed before the method returns.
 */
public final class QueueRepository implements QueueStore {
    private final Database database;

    public QueueRepository(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** In one transaction. */
    @Override
    public List<Long> appendAll(String peerDomain, List<NewStanza> stanzas) {
        return database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO federation_queue (peer_domain, stanza_id, stanza, queued_at) VALUES (?, ?, ?, ?)",
                    new String[] {"id"})) {
                for (NewStanza stanza : stanzas) {
                    insert.setString(1, peerDomain);
                    insert.setString(2, stanza.stanzaId());
                    insert.setString(3, stanza.xml());
                    insert.setObject(4, utc(stanza.queuedAt()));
                    insert.addBatch();
                }
                insert.executeBatch();
                List<Long> ids = new ArrayList<>(stanzas.size());
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    while (keys.next()) {
                        ids.add(keys.getLong(1));
                    }
                }
                if (ids.size() != stanzas.size()) {
                    throw new IllegalStateException("the database returned " + ids.size() + " ids for "
                            + stanzas.size() + " rows"); // rolls the batch back: nothing half-known is queued
                }
                return ids;
            }
        });
    }

    @Override
    public List<QueuedStanza> after(String peerDomain, long afterId, int limit) {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, stanza_id, stanza, queued_at FROM federation_queue WHERE peer_domain = ? AND id > ?"
                            + " ORDER BY id LIMIT ?")) {
                select.setString(1, peerDomain);
                select.setLong(2, afterId);
                select.setInt(3, limit);
                List<QueuedStanza> rows = new ArrayList<>();
                try (ResultSet result = select.executeQuery()) {
                    while (result.next()) {
                        rows.add(new QueuedStanza(result.getLong(1), peerDomain, result.getString(2),
                                result.getString(3), result.getObject(4, OffsetDateTime.class).toInstant()));
                    }
                }
                return rows;
            }
        });
    }

    @Override
    public void remove(String peerDomain, List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM federation_queue WHERE peer_domain = ? AND id = ?")) {
                for (long id : ids) {
                    delete.setString(1, peerDomain);
                    delete.setLong(2, id);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            return null;
        });
    }

    @Override
    public Map<String, Long> depths() {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT peer_domain, COUNT(*) FROM federation_queue GROUP BY peer_domain ORDER BY peer_domain");
                 ResultSet result = select.executeQuery()) {
                Map<String, Long> depths = new LinkedHashMap<>();
                while (result.next()) {
                    depths.put(result.getString(1), result.getLong(2));
                }
                return depths;
            }
        });
    }

    @Override
    public Map<String, Instant> oldestQueued() {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT peer_domain, MIN(queued_at) FROM federation_queue GROUP BY peer_domain");
                 ResultSet result = select.executeQuery()) {
                Map<String, Instant> oldest = new LinkedHashMap<>();
                while (result.next()) {
                    oldest.put(result.getString(1), result.getObject(2, OffsetDateTime.class).toInstant());
                }
                return oldest;
            }
        });
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
