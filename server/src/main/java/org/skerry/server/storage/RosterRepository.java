package org.skerry.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Users' rosters (RFC 6121) with XEP-0237 roster versioning.
 *
 * <p>The version is a per-user counter that starts at 0 (empty, never changed) and goes up by one with
 * every {@link #put} and every {@link #remove} that removed something. Each item remembers the version
 * at which it last changed, and each removed contact leaves a tombstone with its removal version, so
 * {@link #changesSince} can answer for <em>any</em> older version a client presents. A tombstone goes
 * away when the contact is added back, or with the account.
 *
 * <p>Writes lock the owner's account row, so one user's roster changes are serialised and versions are
 * never reused; writing for a missing account throws {@link NoSuchAccountException}.
 */
public final class RosterRepository {
    private static final String ITEM_COLUMNS =
            "contact_jid, name, subscription, ask_subscribe, pending_in, pre_approved, pending_in_stanza";

    private final Database database;

    public RosterRepository(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** All items of a user's roster, sorted by contact JID; empty for an unknown user. */
    public List<RosterItem> items(String domain, String username) {
        AccountRows.requireNonNull(domain, username);
        return database.inTransaction(connection -> select(connection, domain, username, null, -1));
    }

    /** One item, if the contact is in the user's roster. */
    public Optional<RosterItem> item(String domain, String username, String contactJid) {
        AccountRows.requireNonNull(domain, username);
        Objects.requireNonNull(contactJid, "contactJid");
        return database.inTransaction(connection ->
                select(connection, domain, username, contactJid, -1).stream().findFirst());
    }

    /** The current roster version of a user: 0 for a roster that never changed or an unknown user. */
    public long version(String domain, String username) {
        AccountRows.requireNonNull(domain, username);
        return database.inTransaction(connection -> currentVersion(connection, domain, username).orElse(0L));
    }

    /**
     * Inserts or replaces an item (its groups are replaced too) and bumps the roster version.
     *
     * @return the new roster version, always at least 1
     * @throws NoSuchAccountException if the user has no account
     */
    public long put(String domain, String username, RosterItem item) {
        AccountRows.requireNonNull(domain, username);
        Objects.requireNonNull(item, "item");
        return database.inTransaction(connection -> {
            long version = AccountRows.lock(connection, domain, username) + 1;
            mergeItem(connection, domain, username, item, version);
            replaceGroups(connection, domain, username, item);
            try (PreparedStatement forget = connection.prepareStatement(
                    "DELETE FROM roster_tombstones WHERE domain = ? AND username = ? AND contact_jid = ?")) {
                bindUserAndContact(forget, domain, username, item.contactJid());
                forget.executeUpdate();
            }
            setVersion(connection, domain, username, version);
            return version;
        });
    }

    /**
     * Removes an item and bumps the roster version.
     *
     * @return the new roster version (at least 1), or 0 if the contact was not in the roster, in which
     *     case nothing changed (RFC 6121 §2.5.3: the caller answers {@code item-not-found})
     * @throws NoSuchAccountException if the user has no account
     */
    public long remove(String domain, String username, String contactJid) {
        AccountRows.requireNonNull(domain, username);
        Objects.requireNonNull(contactJid, "contactJid");
        return database.inTransaction(connection -> {
            long version = AccountRows.lock(connection, domain, username) + 1;
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM roster_items WHERE domain = ? AND username = ? AND contact_jid = ?")) {
                bindUserAndContact(delete, domain, username, contactJid);
                if (delete.executeUpdate() == 0) {
                    return 0L;
                }
            }
            try (PreparedStatement tombstone = connection.prepareStatement(
                    "INSERT INTO roster_tombstones (domain, username, contact_jid, removed_version)"
                            + " VALUES (?, ?, ?, ?)")) {
                bindUserAndContact(tombstone, domain, username, contactJid);
                tombstone.setLong(4, version);
                tombstone.executeUpdate();
            }
            setVersion(connection, domain, username, version);
            return version;
        });
    }

    /**
     * The changes after {@code clientVersion} (XEP-0237). Same version as the current one: an empty
     * delta (the server answers with an empty result).
     *
     * @return empty if the client's version is unknown (negative, or newer than the current one, e.g.
     *     from before the account was re-created): the caller then sends the full roster
     */
    public Optional<RosterDelta> changesSince(String domain, String username, long clientVersion) {
        AccountRows.requireNonNull(domain, username);
        return database.inTransaction(connection -> {
            Optional<Long> current = currentVersion(connection, domain, username);
            if (current.isEmpty() || clientVersion < 0 || clientVersion > current.get()) {
                return Optional.empty();
            }
            List<RosterItem> changed = select(connection, domain, username, null, clientVersion);
            List<String> removed = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT contact_jid FROM roster_tombstones WHERE domain = ? AND username = ?"
                            + " AND removed_version > ? ORDER BY removed_version")) {
                select.setString(1, domain);
                select.setString(2, username);
                select.setLong(3, clientVersion);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        removed.add(rows.getString(1));
                    }
                }
            }
            return Optional.of(new RosterDelta(current.get(), changed, removed));
        });
    }

    private static void mergeItem(Connection connection, String domain, String username, RosterItem item,
            long version) throws SQLException {
        // Standard MERGE: accepted by PostgreSQL 15+ and by H2 (which has no ON CONFLICT).
        try (PreparedStatement merge = connection.prepareStatement("""
                MERGE INTO roster_items AS t
                USING (VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?))
                    AS s(domain, username, contact_jid, name, subscription, ask_subscribe, pending_in,
                         pre_approved, pending_in_stanza, modified_version)
                ON t.domain = s.domain AND t.username = s.username AND t.contact_jid = s.contact_jid
                WHEN MATCHED THEN UPDATE SET
                    name = s.name, subscription = s.subscription, ask_subscribe = s.ask_subscribe,
                    pending_in = s.pending_in, pre_approved = s.pre_approved,
                    pending_in_stanza = s.pending_in_stanza, modified_version = s.modified_version
                WHEN NOT MATCHED THEN INSERT
                    (domain, username, contact_jid, name, subscription, ask_subscribe, pending_in,
                     pre_approved, pending_in_stanza, modified_version)
                    VALUES (s.domain, s.username, s.contact_jid, s.name, s.subscription, s.ask_subscribe,
                            s.pending_in, s.pre_approved, s.pending_in_stanza, s.modified_version)
                """)) {
            bindUserAndContact(merge, domain, username, item.contactJid());
            setNullableString(merge, 4, item.name());
            merge.setString(5, item.subscription());
            merge.setBoolean(6, item.askSubscribe());
            merge.setBoolean(7, item.pendingIn());
            merge.setBoolean(8, item.preApproved());
            setNullableString(merge, 9, item.pendingInStanza());
            merge.setLong(10, version);
            merge.executeUpdate();
        }
    }

    private static void replaceGroups(Connection connection, String domain, String username, RosterItem item)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM roster_groups WHERE domain = ? AND username = ? AND contact_jid = ?")) {
            bindUserAndContact(delete, domain, username, item.contactJid());
            delete.executeUpdate();
        }
        if (item.groups().isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO roster_groups (domain, username, contact_jid, ordinal, group_name)"
                        + " VALUES (?, ?, ?, ?, ?)")) {
            int ordinal = 0;
            for (String group : item.groups()) {
                bindUserAndContact(insert, domain, username, item.contactJid());
                insert.setInt(4, ordinal++);
                insert.setString(5, group);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Items of a user, optionally only one contact, optionally only those changed after a version. */
    private static List<RosterItem> select(Connection connection, String domain, String username,
            String onlyContact, long changedAfter) throws SQLException {
        String filter = (onlyContact != null ? " AND contact_jid = ?" : "")
                + (changedAfter >= 0 ? " AND modified_version > ?" : "");
        Map<String, ItemRow> rows = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + ITEM_COLUMNS
                + " FROM roster_items WHERE domain = ? AND username = ?" + filter + " ORDER BY contact_jid")) {
            bindFilter(select, domain, username, onlyContact, changedAfter);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.put(result.getString(1), new ItemRow(result.getString(1), result.getString(2),
                            result.getString(3), result.getBoolean(4), result.getBoolean(5),
                            result.getBoolean(6), result.getString(7), new ArrayList<>()));
                }
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        String groupFilter = onlyContact != null ? " AND contact_jid = ?" : "";
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT contact_jid, group_name FROM roster_groups WHERE domain = ? AND username = ?"
                        + groupFilter + " ORDER BY contact_jid, ordinal")) {
            bindFilter(select, domain, username, onlyContact, -1);
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    ItemRow row = rows.get(result.getString(1));
                    if (row != null) {
                        row.groups().add(result.getString(2));
                    }
                }
            }
        }
        return rows.values().stream().map(ItemRow::toItem).toList();
    }

    private static void bindFilter(PreparedStatement statement, String domain, String username,
            String onlyContact, long changedAfter) throws SQLException {
        int index = 1;
        statement.setString(index++, domain);
        statement.setString(index++, username);
        if (onlyContact != null) {
            statement.setString(index++, onlyContact);
        }
        if (changedAfter >= 0) {
            statement.setLong(index, changedAfter);
        }
    }

    private static Optional<Long> currentVersion(Connection connection, String domain, String username)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT roster_version FROM accounts WHERE domain = ? AND username = ?")) {
            select.setString(1, domain);
            select.setString(2, username);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getLong(1)) : Optional.empty();
            }
        }
    }

    private static void setVersion(Connection connection, String domain, String username, long version)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE accounts SET roster_version = ? WHERE domain = ? AND username = ?")) {
            update.setLong(1, version);
            update.setString(2, domain);
            update.setString(3, username);
            update.executeUpdate();
        }
    }

    private static void bindUserAndContact(PreparedStatement statement, String domain, String username,
            String contactJid) throws SQLException {
        statement.setString(1, domain);
        statement.setString(2, username);
        statement.setString(3, contactJid);
    }

    static void setNullableString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }

    /** A roster row while its groups are being collected. */
    private record ItemRow(String contactJid, String name, String subscription, boolean askSubscribe,
            boolean pendingIn, boolean preApproved, String pendingInStanza, List<String> groups) {
        RosterItem toItem() {
            return new RosterItem(contactJid, name, subscription, askSubscribe, pendingIn, preApproved, groups,
                    pendingInStanza);
        }
    }
}
