package org.skerry.federation.queue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.skerry.server.storage.Database;
import org.skerry.server.storage.LocalPostgres;

/**
 * The receiver's marks table on a real PostgreSQL server ({@link LocalPostgres}), a new database per test. Runs only
 * with {@code -Dskerry.interop=true} (the {@code interop} Maven profile), which has the Debian package installed.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class PostgresPeerMarkRepositoryTest extends PeerMarkRepositoryContract {
    private static LocalPostgres server;

    @BeforeAll
    static void startServer() throws Exception {
        // Its own directory under /tmp: the postgres user must reach it, and JUnit's are private to root.
        Path dir = Files.createTempDirectory("skerry-pg-marks");
        server = LocalPostgres.start(dir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected Database openNewDatabase() throws Exception {
        return Database.open(server.createDatabase("skerry_marks"), LocalPostgres.SUPERUSER, "", 2);
    }
}
