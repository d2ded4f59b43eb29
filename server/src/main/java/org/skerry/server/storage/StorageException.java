package org.skerry.server.storage;

import java.sql.SQLException;

/**
 * A storage operation failed (database down, constraint violated, value too long ...).
 *
 * <p>Unchecked because callers run repositories on a worker executor and turn any failure into one
 * stanza error; they have no use for the checked {@link SQLException}, which is kept as the cause.
 */
public class StorageException extends RuntimeException {
    /** SQLSTATE class 23 value: a unique or primary key was violated. Same code in H2 and PostgreSQL. */
    static final String UNIQUE_VIOLATION = "23505";

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }

    /** The SQLSTATE of the underlying {@link SQLException}, or {@code null} if there is none. */
    public String sqlState() {
        return getCause() instanceof SQLException sql ? sql.getSQLState() : null;
    }
}
