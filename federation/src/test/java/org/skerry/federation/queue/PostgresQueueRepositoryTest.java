package org.skerry.federation.queue;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.skerry.federation.TestPostgres;
import org.skerry.server.storage.Database;

/** The outbound queue's table on a real PostgreSQL server, a new database per test; under {@code -Pinterop}. */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class PostgresQueueRepositoryTest extends QueueStoreContract {
    @RegisterExtension
    static final TestPostgres POSTGRES = new TestPostgres();

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

    private Database openNewDatabase() throws Exception {
        return POSTGRES.newDatabase("skerry_queue");
    }
}
