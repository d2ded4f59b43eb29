package org.skerry.federation;

import java.nio.file.Files;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.skerry.server.storage.Database;
import org.skerry.server.storage.LocalPostgres;

/**
 * A real PostgreSQL server ({@link LocalPostgres}) for one test class, registered as a static
 * {@code @RegisterExtension} field: started before the class, stopped after it, a new database per
 * {@link #newDatabase} call. The classes that use it run only under {@code -Pinterop}, which has the Debian package.
 */
public final class TestPostgres implements BeforeAllCallback, AfterAllCallback {
    private LocalPostgres server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // Its own directory under /tmp: the postgres user must reach it, and JUnit's are private to root.
        server = LocalPostgres.start(Files.createTempDirectory("skerry-pg-federation"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A new, empty database, migrated by {@link Database#open}. */
    public Database newDatabase(String name) throws Exception {
        return Database.open(server.createDatabase(name), LocalPostgres.SUPERUSER, "", 2);
    }
}
