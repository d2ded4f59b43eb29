package org.skerry.federation.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.skerry.server.storage.Database;

/**
 * The runtime blocks' table, run on every supported database by the subclasses, so that its one SQL (MERGE
 * included) is proven on H2 and on PostgreSQL.
 */
abstract class BlockedDomainRepositoryContract {
    private static final Instant MONDAY = Instant.parse("2025-06-02T09:15:30.123456Z");
    private static final Instant TUESDAY = Instant.parse("2025-06-03T10:00:00Z");

    private Database database;
    private BlockedDomainRepository blocks;

    /** A new, empty database (migrated by {@link Database#open}). */
    protected abstract Database openNewDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        database = openNewDatabase();
        blocks = new BlockedDomainRepository(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aBlockIsStoredOnceWithItsFirstTime() {
        assertThat(blocks.add("spam.example", MONDAY)).isTrue();
        assertThat(blocks.add("spam.example", TUESDAY)).as("already blocked").isFalse();
        assertThat(blocks.add("abuse.example", TUESDAY)).isTrue();

        assertThat(blocks.all()).containsExactly(
                java.util.Map.entry("abuse.example", TUESDAY), java.util.Map.entry("spam.example", MONDAY));
    }

    @Test
    void anUnblockRemovesOnlyThatDomainAndSaysWhetherItWasBlocked() {
        blocks.add("spam.example", MONDAY);
        blocks.add("abuse.example", MONDAY);

        assertThat(blocks.remove("spam.example")).isTrue();
        assertThat(blocks.remove("spam.example")).isFalse();
        assertThat(blocks.remove("never.example")).isFalse();

        assertThat(blocks.all()).containsOnlyKeys("abuse.example");
        assertThat(blocks.add("spam.example", TUESDAY)).as("blocked again").isTrue();
        assertThat(blocks.all()).containsEntry("spam.example", TUESDAY);
    }
}
