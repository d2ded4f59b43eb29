package org.skerry.server.tls;

import java.nio.file.Path;

/**
 * A certificate or key that cannot be used: missing file, unreadable format, wrong password, a key that does
 * not belong to the certificate. The message names the file and the reason, so that an admin can fix it
 * without reading a stack trace.
 */
public final class TlsConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    public TlsConfigException(Path file, String reason) {
        this(file, reason, null);
    }

    public TlsConfigException(Path file, String reason, Throwable cause) {
        super(file == null ? reason : file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** The file at fault, or {@code null} when the problem is not tied to one file. */
    public Path file() {
        return file;
    }

    /** Why the file cannot be used, without the file name. */
    public String reason() {
        return reason;
    }
}
