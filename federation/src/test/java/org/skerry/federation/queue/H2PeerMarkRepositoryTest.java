package org.skerry.federation.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.skerry.server.storage.Database;

/** The receiver's marks table on the embedded H2 file every node starts with. */
class H2PeerMarkRepositoryTest extends PeerMarkRepositoryContract {
    @TempDir
    Path dir;

    @Override
    protected Database openNewDatabase() {
        return Database.open("jdbc:h2:file:" + dir.resolve("skerry"), "sa", "", 2);
    }
}
