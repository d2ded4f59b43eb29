package org.skerry.federation.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.skerry.server.storage.Database;

/** The outbound queue's table on the embedded H2 file every node starts with. */
class H2QueueRepositoryTest extends QueueRepositoryContract {
    @TempDir
    Path dir;

    @Override
    protected Database openNewDatabase() {
        return Database.open("jdbc:h2:file:" + dir.resolve("skerry"), "sa", "", 2);
    }
}
