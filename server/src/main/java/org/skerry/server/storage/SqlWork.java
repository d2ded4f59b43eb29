package org.skerry.server.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of JDBC work run by {@link Database#inTransaction(SqlWork)} inside one transaction.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface SqlWork<T> {
    /** Runs on a connection whose transaction is committed if this returns and rolled back if it throws. */
    T run(Connection connection) throws SQLException;
}
