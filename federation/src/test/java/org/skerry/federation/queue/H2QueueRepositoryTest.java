package org.skerry.federation.queue;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.skerry.server.storage.Database;

/** The outbound queue's table on an embedded H2 file: where releases before the journal kept it, and what it moves from. */
class H2QueueRepositoryTest extends QueueStoreContract {
    @TempDir
    Path dir;

    private Database database;

    @Override
    protected QueueStore openNewStore() throws Exception {
        database = openNewDatabase();
        return new QueueRepository(database);
    }

    @Override
    protected AutoCloseable opened() {
        return database;
    }

    private Database openNewDatabase() {
        return Database.open("jdbc:h2:file:" + dir.resolve("skerry"), "sa", "", 2);
    }
}
