package org.skerry.server.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The CLI's side of the control socket. */
public final class ControlClient {
    private ControlClient() {}

    /** The node's answer: whether it succeeded, and its text. */
    public record Answer(boolean ok, String text) {}

    /** Sends a request to the node running on {@code dataDir}; empty if no node is listening there. */
    public static Optional<Answer> send(Path dataDir, List<String> words, String password) throws IOException {
        Path socket = ControlProtocol.socketPath(dataDir);
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return Optional.empty(); // a stale socket file: the node is not running
        }
        try (channel) {
            Writer out = new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8);
            out.write(String.join("\t", words) + "\n");
            if (ControlServer.needsPassword(words)) {
                out.write((password == null ? "" : password) + "\n");
            }
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            String status = in.readLine();
            StringBuilder text = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                text.append(line).append('\n');
            }
            return Optional.of(new Answer(ControlProtocol.OK.equals(status), text.toString().stripTrailing()));
        }
    }
}
