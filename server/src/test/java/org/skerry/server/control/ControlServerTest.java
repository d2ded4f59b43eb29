package org.skerry.server.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control socket in data_dir belongs to exactly one live node; no node removes another node's socket. */
class ControlServerTest {
    private static final Map<String, ControlCommand> ECHO = Map.of("echo", (words, password) -> "echo " + words.get(1));

    @TempDir
    Path dataDir;

    @Test
    void aSocketLeftByAKilledNodeIsReplaced() throws Exception {
        // What SIGKILL leaves: the socket file, with nobody listening on it.
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(ControlProtocol.socketPath(dataDir)));
        }
        assertThat(ControlProtocol.socketPath(dataDir)).exists();

        try (ControlServer server = new ControlServer(dataDir, ECHO)) {
            assertThat(answer()).isEqualTo("echo hello");
        }
    }

    @Test
    void aSecondNodeOnTheSameDataDirectoryLeavesTheLiveSocketAlone() throws Exception {
        try (ControlServer running = new ControlServer(dataDir, ECHO)) {
            assertThatThrownBy(() -> new ControlServer(dataDir, ECHO))
                    .isInstanceOf(IOException.class).hasMessageContaining("another node is running");
            assertThat(answer()).as("the running node still answers the CLI").isEqualTo("echo hello");
        }
    }

    @Test
    void closingRemovesOnlyItsOwnSocketFile() throws Exception {
        ControlServer old = new ControlServer(dataDir, ECHO);
        // The old node stopped answering (its file is gone) and a new one started on the same data directory...
        Files.delete(ControlProtocol.socketPath(dataDir));
        try (ControlServer current = new ControlServer(dataDir, ECHO)) {
            old.close(); // ...before the old one finished closing.
            assertThat(ControlProtocol.socketPath(dataDir)).exists();
            assertThat(answer()).as("the new node still answers the CLI").isEqualTo("echo hello");
        }
        assertThat(ControlProtocol.socketPath(dataDir)).doesNotExist();
    }

    private String answer() throws IOException {
        return ControlClient.send(dataDir, List.of("echo", "hello"), null).orElseThrow().text().strip();
    }
}
