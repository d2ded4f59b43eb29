package org.skerry.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository contract on a real PostgreSQL server ({@link LocalPostgres}), started for this class and
 * stopped at the end. Each test gets a new database.
 *
 * <p>Runs only with {@code -Dskerry.interop=true} (the {@code interop} Maven profile).
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class PostgresStorageTest extends StorageContractTest {
    @TempDir
    static Path serverDir;

    private static LocalPostgres server;

    @BeforeAll
    static void startServer() throws Exception {
        server = LocalPostgres.start(serverDir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected String newDatabaseUrl() throws Exception {
        return server.createDatabase("skerry_test");
    }

    @Override
    protected String user() {
        return LocalPostgres.SUPERUSER;
    }

    @Override
    protected String password() {
        return "";
    }

    @Test
    void reportsPostgresAndAServerOfVersion15OrLater() throws Exception {
        assertThat(database.isPostgres()).isTrue();
        try (Connection connection = database.dataSource().getConnection()) {
            assertThat(connection.getMetaData().getDatabaseMajorVersion()).isGreaterThanOrEqualTo(15);
        }
    }
}
