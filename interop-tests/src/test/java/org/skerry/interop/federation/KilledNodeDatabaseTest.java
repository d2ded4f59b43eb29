package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.skerry.server.storage.Database;
import org.skerry.server.storage.StorageException;

/**
 * The embedded H2 file after a kill -9 of its node: it has one owner process at a time, by an OS lock on the
 * database file (FILE_LOCK=FS) and never by a .lock.db file. A lock file is what a killed owner leaves behind, and
 * it makes the next open wait until the file looks stale; an OS lock dies with its process, so the restarted
 * node (or the CLI) opens the database at once.
 *
 * <p>Asserted on the protocol, not on a clock: no lock file exists while the node runs or after it was killed, a
 * second process cannot open the file while the node runs, and the first attempt to open it after the kill
 * succeeds (with FS, H2 never waits: it gets the lock or fails at once).
 */
class KilledNodeDatabaseTest {
    private static final String DOMAIN = "killed.test";

    @Test
    void aKilledNodesDatabaseOpensAtOnceAndIsNeverOpenedTwice() throws Exception {
        Path dataDir = Files.createTempDirectory("skerry-killed");
        Path log = Files.createDirectories(Path.of("target", "killed-node").toAbsolutePath()).resolve(DOMAIN + ".log");
        Files.deleteIfExists(log);
        String url = "jdbc:h2:file:" + dataDir.resolve("skerry");
        try (NodeProcess node = NodeProcess.configure(DOMAIN, dataDir, log, List.of("federation.enabled=false"))) {
            node.addAccount("before", "secret"); // the CLI opens the database itself while no node runs
            node.start();
            assertThat(lockFiles(dataDir)).as("lock files while the node runs").isEmpty();
            assertThatThrownBy(() -> Database.open(url, "", "", 1).close())
                    .as("a second process opening the running node's database")
                    .isInstanceOf(StorageException.class).hasMessageContaining("already in use");
            node.addAccount("during", "secret"); // goes through the running node's control socket

            node.kill();
            assertThat(node.exitValue()).isEqualTo(137);
            assertThat(lockFiles(dataDir)).as("lock files left by the killed node").isEmpty();
            try (Database database = Database.open(url, "", "", 1)) {
                assertThat(database).as("opened on the first attempt").isNotNull();
            }

            node.start();
            node.addAccount("after", "secret");
        }
    }

    private static List<Path> lockFiles(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".lock.db")).toList();
        }
    }
}
