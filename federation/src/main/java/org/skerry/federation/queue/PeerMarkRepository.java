package org.skerry.federation.queue;

import static org.skerry.federation.queue.QueueRepository.utc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.skerry.server.storage.Database;

/**
 * The {@code federation_peer_marks} table: per peer and sending run, the highest stanza sequence routed (see
 * {@link SequencedIds}). Blocking JDBC, called on the storage executor in the peer's lane.
 */
final class PeerMarkRepository {
    private final Database database;

    PeerMarkRepository(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** The peer's marks updated at or after {@code notBefore}, oldest update first, at most {@code limit}. */
    Map<String, Long> load(String peerDomain, Instant notBefore, int limit) {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT run, last_sequence FROM federation_peer_marks WHERE peer_domain = ? AND updated_at >= ?"
                            + " ORDER BY updated_at DESC LIMIT ?")) {
                select.setString(1, peerDomain);
                select.setObject(2, utc(notBefore));
                select.setInt(3, limit);
                List<Map.Entry<String, Long>> newestFirst = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        newestFirst.add(Map.entry(rows.getString(1), rows.getLong(2)));
                    }
                }
                Collections.reverse(newestFirst);
                Map<String, Long> oldestFirst = new LinkedHashMap<>();
                newestFirst.forEach(mark -> oldestFirst.put(mark.getKey(), mark.getValue()));
                return oldestFirst;
            }
        });
    }

    /** Stores the marks and deletes the {@code forgotten} runs, in one transaction; committed on return. */
    void save(String peerDomain, Map<String, Long> marks, Collection<String> forgotten, Instant at) {
        database.inTransaction(connection -> {
            // Standard MERGE: accepted by PostgreSQL 15+ and by H2 (which has no ON CONFLICT).
            try (PreparedStatement merge = connection.prepareStatement("""
                    MERGE INTO federation_peer_marks AS t
                    USING (VALUES (?, ?, ?, ?)) AS s(peer_domain, run, last_sequence, updated_at)
                    ON t.peer_domain = s.peer_domain AND t.run = s.run
                    WHEN MATCHED THEN UPDATE SET last_sequence = s.last_sequence, updated_at = s.updated_at
                    WHEN NOT MATCHED THEN INSERT (peer_domain, run, last_sequence, updated_at)
                        VALUES (s.peer_domain, s.run, s.last_sequence, s.updated_at)""")) {
                for (Map.Entry<String, Long> mark : marks.entrySet()) {
                    merge.setString(1, peerDomain);
                    merge.setString(2, mark.getKey());
                    merge.setLong(3, mark.getValue());
                    merge.setObject(4, utc(at));
                    merge.addBatch();
                }
                merge.executeBatch();
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM federation_peer_marks WHERE peer_domain = ? AND run = ?")) {
                for (String run : forgotten) {
                    delete.setString(1, peerDomain);
                    delete.setString(2, run);
                    delete.addBatch();
                }
                delete.executeBatch();
            }
            return null;
        });
    }

    /** Deletes every mark last updated before {@code cutoff}; returns how many. */
    int expire(Instant cutoff) {
        return database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM federation_peer_marks WHERE updated_at < ?")) {
                delete.setObject(1, utc(cutoff));
                return delete.executeUpdate();
            }
        });
    }

    /** How many runs of the peer have a mark. */
    long count(String peerDomain) {
        return database.inTransaction(connection -> {
            try (PreparedStatement count = connection.prepareStatement(
                    "SELECT COUNT(*) FROM federation_peer_marks WHERE peer_domain = ?")) {
                count.setString(1, peerDomain);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            }
        });
    }
}
