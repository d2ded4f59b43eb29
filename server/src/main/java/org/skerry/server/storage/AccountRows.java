package org.skerry.server.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Row lock on one account, taken first by every per-user write.
 *
 * <p>Locking the account row serialises all writes of one user (quota checks, roster version bumps,
 * upserts) on both H2 and PostgreSQL, and in READ COMMITTED each later statement of the transaction
 * sees what the previous lock holder committed. It also proves the account exists, and an account
 * delete waits for (or is waited on by) these writes, so nothing is left behind.
 */
final class AccountRows {
    private AccountRows() {
    }

    /** Locks the account row until the transaction ends and returns its current roster version. */
    static long lock(Connection connection, String domain, String username) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT roster_version FROM accounts WHERE domain = ? AND username = ? FOR UPDATE")) {
            select.setString(1, domain);
            select.setString(2, username);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new NoSuchAccountException(domain, username);
                }
                return row.getLong(1);
            }
        }
    }

    static void requireNonNull(String domain, String username) {
        if (domain == null || username == null) {
            throw new IllegalArgumentException("domain and username are required");
        }
    }
}
