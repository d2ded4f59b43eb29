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
 * The {@code federation_queue} table. Blocking JDBC: called only on the storage executor, in the lane of the
 * peer domain, which is what keeps the id order equal to the route order of each peer. Every write is committed
 * before the method returns.
 */
public final class QueueRepository {
    private final Database database;

    public QueueRepository(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** A stanza to append: its XEP-0359 id, its serialized form and when it was routed. */
    public record NewStanza(String stanzaId, String xml, Instant queuedAt) {}

    /**
     * Appends stanzas to the peer's queue in the given order, in one transaction; committed on return. Returns the
     * ids the rows got, in the same order: the queue hands just-committed stanzas to the link without reading
     * them back.
     */
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

    /** The oldest {@code limit} stanzas of the peer, in route order. */
    public List<QueuedStanza> head(String peerDomain, int limit) {
        return after(peerDomain, 0, limit);
    }

    /** The oldest {@code limit} stanzas of the peer with an id above {@code afterId}, in route order. */
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

    /** Removes acknowledged or bounced stanzas; ids already gone are ignored, so a repeat is harmless. */
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

    /** Queue depth of every peer that has stanzas waiting: what a restarted node resumes. */
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

    /** For each peer with stanzas waiting, when its oldest one was queued. */
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
