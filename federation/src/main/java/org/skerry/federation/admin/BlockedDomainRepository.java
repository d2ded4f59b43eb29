package org.skerry.federation.admin;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.skerry.server.storage.Database;

/**
 * The {@code federation_blocked_domains} table: the admin's runtime blocks. Blocking JDBC, called on the storage
 * executor; every write is committed before the method returns, so a block the admin was told about holds after a
 * crash.
 */
public final class BlockedDomainRepository {
    private final Database database;

    public BlockedDomainRepository(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Records the block; false when the domain was already blocked (its first time stays). */
    public boolean add(String domain, Instant blockedAt) {
        return database.inTransaction(connection -> {
            // Standard MERGE (H2 has no ON CONFLICT): a repeated block changes nothing.
            try (PreparedStatement merge = connection.prepareStatement("""
                    MERGE INTO federation_blocked_domains AS t
                    USING (VALUES (?, CAST(? AS TIMESTAMP WITH TIME ZONE))) AS s(domain, blocked_at)
                    ON t.domain = s.domain
                    WHEN NOT MATCHED THEN INSERT (domain, blocked_at) VALUES (s.domain, s.blocked_at)
                    """)) {
                merge.setString(1, domain);
                merge.setObject(2, OffsetDateTime.ofInstant(blockedAt.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
                return merge.executeUpdate() == 1;
            }
        });
    }

    /** Lifts the block; false when the domain was not blocked. */
    public boolean remove(String domain) {
        return database.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM federation_blocked_domains WHERE domain = ?")) {
                delete.setString(1, domain);
                return delete.executeUpdate() == 1;
            }
        });
    }

    /** Every blocked domain with when it was blocked, sorted by domain. */
    public Map<String, Instant> all() {
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT domain, blocked_at FROM federation_blocked_domains ORDER BY domain");
                 ResultSet result = select.executeQuery()) {
                Map<String, Instant> blocked = new LinkedHashMap<>();
                while (result.next()) {
                    blocked.put(result.getString(1), result.getObject(2, OffsetDateTime.class).toInstant());
                }
                return blocked;
            }
        });
    }
}
