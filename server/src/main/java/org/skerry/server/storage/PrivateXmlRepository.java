package org.skerry.server.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;
import java.util.Optional;

/**
 * Private XML storage (XEP-0049): one serialized element per user and namespace.
 *
 * <p>The caller validates the element (namespace matches, size within its limit); storage keeps the
 * string as given.
 */
public final class PrivateXmlRepository {
    private final Database database;

    public PrivateXmlRepository(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** The element stored under {@code namespace}, if any. */
    public Optional<String> get(String domain, String username, String namespace) {
        AccountRows.requireNonNull(domain, username);
        Objects.requireNonNull(namespace, "namespace");
        return database.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT element FROM private_xml WHERE domain = ? AND username = ? AND namespace = ?")) {
                select.setString(1, domain);
                select.setString(2, username);
                select.setString(3, namespace);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Stores the element under {@code namespace}, replacing what was there.
     *
     * @throws NoSuchAccountException if the user has no account
     */
    public void put(String domain, String username, String namespace, String elementXml) {
        AccountRows.requireNonNull(domain, username);
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(elementXml, "elementXml");
        database.inTransaction(connection -> {
            // The row lock makes concurrent first puts of one namespace wait for each other; without it,
            // PostgreSQL's MERGE may let both take the insert branch and one fail on the primary key.
            AccountRows.lock(connection, domain, username);
            try (PreparedStatement merge = connection.prepareStatement("""
                    MERGE INTO private_xml AS t
                    USING (VALUES (?, ?, ?, ?)) AS s(domain, username, namespace, element)
                    ON t.domain = s.domain AND t.username = s.username AND t.namespace = s.namespace
                    WHEN MATCHED THEN UPDATE SET element = s.element
                    WHEN NOT MATCHED THEN INSERT (domain, username, namespace, element)
                        VALUES (s.domain, s.username, s.namespace, s.element)
                    """)) {
                merge.setString(1, domain);
                merge.setString(2, username);
                merge.setString(3, namespace);
                merge.setString(4, elementXml);
                merge.executeUpdate();
            }
            return null;
        });
    }
}
