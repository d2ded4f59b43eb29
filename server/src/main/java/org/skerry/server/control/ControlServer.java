package org.skerry.server.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final Map<String, ControlCommand> commands;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param commands by the first word of the requests they serve */
    public ControlServer(Path dataDir, Map<String, ControlCommand> commands) throws IOException {
        this.socket = ControlProtocol.socketPath(dataDir);
        this.commands = Map.copyOf(commands);
        Files.deleteIfExists(socket); // a stale socket from a node that was killed
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        try {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system
        }
        this.thread = new Thread(this::serve, "skerry-control");
        thread.setDaemon(true);
        thread.start();
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
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.debug("Closing the control socket: {}", e.toString());
        }
    }
}
