package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.skerry.server.storage.Database;

/**
 * The receiver's marks table, run on every supported database by the subclasses, so that its SQL (MERGE, the
 * newest-first limit) is proven on H2 and on PostgreSQL.
 */
abstract class PeerMarkRepositoryContract {
    private static final Instant MONDAY = Instant.parse("2025-06-02T09:15:30.123456Z");
    private static final Instant TUESDAY = Instant.parse("2025-06-03T10:00:00Z");
    private static final Instant WEDNESDAY = Instant.parse("2025-06-04T10:00:00Z");

    private Database database;
    private PeerMarkRepository marks;

    /** A new, empty database (migrated by {@link Database#open}). */
    protected abstract Database openNewDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        database = openNewDatabase();
        marks = new PeerMarkRepository(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aMarkIsInsertedThenUpdatedInPlace() {
        marks.save("a.example", Map.of("run1", 5L), List.of(), MONDAY);
        marks.save("a.example", Map.of("run1", 9L), List.of(), TUESDAY);
        marks.save("b.example", Map.of("run1", 2L), List.of(), TUESDAY);

        assertThat(marks.load("a.example", MONDAY, 16)).containsExactly(Map.entry("run1", 9L));
        assertThat(marks.count("a.example")).isEqualTo(1);
        assertThat(marks.load("b.example", MONDAY, 16)).containsExactly(Map.entry("run1", 2L));
    }

    @Test
    void loadGivesTheNewestRunsOldestFirstAndSkipsExpiredOnes() {
        marks.save("a.example", Map.of("old", 1L), List.of(), MONDAY);
        marks.save("a.example", Map.of("mid", 2L), List.of(), TUESDAY);
        marks.save("a.example", Map.of("new", 3L), List.of(), WEDNESDAY);

        assertThat(marks.load("a.example", MONDAY, 16).keySet()).containsExactly("old", "mid", "new");
        assertThat(marks.load("a.example", MONDAY, 2).keySet()).as("the newest two").containsExactly("mid", "new");
        assertThat(marks.load("a.example", TUESDAY, 16).keySet()).containsExactly("mid", "new");
    }

    @Test
    void forgottenRunsAreDeletedWithTheSave() {
        marks.save("a.example", Map.of("run1", 1L, "run2", 1L), List.of(), MONDAY);
        marks.save("a.example", Map.of("run3", 1L), List.of("run1", "unknown"), TUESDAY);

        assertThat(marks.load("a.example", MONDAY, 16).keySet()).containsExactlyInAnyOrder("run2", "run3");
    }

    @Test
    void expiryDeletesMarksNotUpdatedSinceTheCutoff() {
        marks.save("a.example", Map.of("old", 1L), List.of(), MONDAY);
        marks.save("b.example", Map.of("new", 1L), List.of(), WEDNESDAY);

        assertThat(marks.expire(TUESDAY)).isEqualTo(1);
        assertThat(marks.count("a.example")).isZero();
        assertThat(marks.count("b.example")).isEqualTo(1);
    }
}
