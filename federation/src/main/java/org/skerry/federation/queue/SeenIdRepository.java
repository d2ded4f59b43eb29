package org.skerry.federation.queue;

import static org.skerry.federation.queue.QueueRepository.utc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.time.OffsetDateTime;
import java.util.Objects;
import org.skerry.server.storage.Database;

/**
 * The {@code federation_seen_ids} table: stanza ids recently routed from each peer. Blocking JDBC, called on
 * the storage executor in the peer's lane, so the check and the record of one peer never interleave.
 */
public final class SeenIdRepository {
    private final Database database;

    public SeenIdRepository(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** True when the id was recorded for the peer at or after {@code notBefore}. */
    public boolean seenSince(String peerDomain, String stanzaId, Instant notBefore) {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT seen_at FROM federation_seen_ids WHERE peer_domain = ? AND stanza_id = ?")) {
                select.setString(1, peerDomain);
                select.setString(2, stanzaId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() && !row.getObject(1, OffsetDateTime.class).toInstant().isBefore(notBefore);
                }
            }
        });
    }

    /** The {@code keep} of {@link #recordAll} that leaves the other ids alone. */
    public static final int NO_TRIM = -1;

    /**
     * Records the ids in order (replacing expired records of them), then, unless {@code keep} is {@link #NO_TRIM},
     * keeps only the peer's {@code keep} newest ids; one transaction, committed on return.
     */
    public void recordAll(String peerDomain, List<String> stanzaIds, Instant seenAt, int keep) {
        database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM federation_seen_ids WHERE peer_domain = ? AND stanza_id = ?")) {
                for (String stanzaId : stanzaIds) {
                    delete.setString(1, peerDomain);
                    delete.setString(2, stanzaId);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO federation_seen_ids (peer_domain, stanza_id, seen_at) VALUES (?, ?, ?)")) {
                for (String stanzaId : stanzaIds) {
                    insert.setString(1, peerDomain);
                    insert.setString(2, stanzaId);
                    insert.setObject(3, utc(seenAt));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            if (keep != NO_TRIM) {
                trim(connection, peerDomain, keep);
            }
            return null;
        });
    }

    /** Deletes every peer's ids recorded before {@code cutoff}; returns how many. */
    public int expire(Instant cutoff) {
        return database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM federation_seen_ids WHERE seen_at < ?")) {
                delete.setObject(1, utc(cutoff));
                return delete.executeUpdate();
            }
        });
    }

    /** How many ids are recorded for the peer. */
    public long count(String peerDomain) {
        return database.inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT COUNT(*) FROM federation_seen_ids WHERE peer_domain = ?")) {
                count.setString(1, peerDomain);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }

    /** Deletes the peer's ids older than its {@code keep} newest (id order is record order). */
    private static void trim(Connection connection, String peerDomain, int keep) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM federation_seen_ids WHERE peer_domain = ? AND id <= (SELECT id FROM federation_seen_ids"
                        + " WHERE peer_domain = ? ORDER BY id DESC LIMIT 1 OFFSET ?)")) {
            delete.setString(1, peerDomain);
            delete.setString(2, peerDomain);
            delete.setInt(3, keep);
            delete.executeUpdate();
        }
    }
}
