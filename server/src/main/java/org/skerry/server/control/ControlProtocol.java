package org.skerry.server.control;

import java.nio.file.Path;

/**
 * The node's local control channel: a Unix domain socket in the data directory, readable by the node's user
 * only. The CLI uses it while the node runs, because the embedded H2 file has exactly one owner process.
 *
 * <p>Wire format, one request per connection, UTF-8 lines: the command words separated by tabs, then for
 * commands that take one, a line with the password. The answer is a status line ({@code ok} or {@code error}),
 * then free text lines until the node closes the connection.
 */
public final class ControlProtocol {
    private ControlProtocol() {}

    public static final String OK = "ok";
    public static final String ERROR = "error";

    public static Path socketPath(Path dataDir) { return dataDir.resolve("control.sock"); }
}
