package org.skerry.server.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the CLI's requests on the control socket, one at a time on its own thread (admin commands are rare
 * and blocking storage work must stay off the event loops). The request's first word picks the command family.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_LINE = 4096;

    private final Path socket;
    private final ServerSocketChannel server;
    /** Identity (device and inode) of the socket file we bound, so that close() removes only that one. */
    private final Object socketFile;
    private final Map<String, ControlCommand> commands;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param commands by the first word of the requests they serve */
    public ControlServer(Path dataDir, Map<String, ControlCommand> commands) throws IOException {
        this.socket = ControlProtocol.socketPath(dataDir);
        this.commands = Map.copyOf(commands);
        removeStaleSocket(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
            this.socketFile = Files.readAttributes(socket, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            server.close();
            throw e;
        }
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system
        }
        this.thread = new Thread(this::serve, "skerry-control");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A socket file left by a node that was killed is removed; one that still answers belongs to a node that runs
     * on this data directory, and is left alone (deleting it would cut that node off from the CLI).
     */
    private static void removeStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            throw new IOException("another node is running with this data directory (" + socket + " answers)");
        } catch (ConnectException stale) {
            Files.deleteIfExists(socket);
        }
    }

    private void serve() {
        while (running) {
            try (SocketChannel client = server.accept()) {
                handle(client);
            } catch (IOException e) {
                if (running) {
                    log.warn("Control socket request failed: {}", e.toString());
                }
            }
        }
    }

    private void handle(SocketChannel client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(Channels.newOutputStream(client), StandardCharsets.UTF_8);
        String request = in.readLine();
        if (request == null || request.length() > MAX_LINE) {
            return;
        }
        List<String> words = Arrays.asList(request.split("\t"));
        String password = needsPassword(words) ? in.readLine() : null;
        try {
            ControlCommand command = commands.get(words.get(0));
            if (command == null) {
                throw new IllegalArgumentException("unknown command: " + words.get(0));
            }
            String text = command.run(words, password);
            out.write(ControlProtocol.OK + "\n" + text + "\n");
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.write(ControlProtocol.ERROR + "\n" + e.getMessage() + "\n");
        } catch (RuntimeException e) {
            log.error("Control command failed", e);
            out.write(ControlProtocol.ERROR + "\ninternal error: " + e + "\n");
        }
        out.flush();
    }

    public static boolean needsPassword(List<String> words) {
        return words.size() >= 2 && words.get(0).equals("user") && (words.get(1).equals("add") || words.get(1).equals("passwd"));
    }

    @Override
    public void close() {
        running = false;
        try {
            // Only our own file: after we stopped answering, a node started on this data directory may have
            // replaced it with its socket, and removing that would cut the new node off from the CLI.
            if (socketFile != null && Files.exists(socket)
                    && socketFile.equals(Files.readAttributes(socket, BasicFileAttributes.class).fileKey())) {
                Files.delete(socket);
            }
            server.close();
        } catch (IOException e) {
            log.debug("Closing the control socket: {}", e.toString());
        }
    }
}
