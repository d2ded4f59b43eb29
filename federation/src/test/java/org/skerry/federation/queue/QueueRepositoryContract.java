package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.skerry.server.storage.Database;

/**
 * The outbound queue's table, run on every supported database by the subclasses: the ids a batch insert returns
 * (the queue sends just-committed stanzas by them, without reading them back) must be the rows' own, in order.
 */
abstract class QueueRepositoryContract {
    private static final Instant NOW = Instant.parse("2025-06-02T09:15:30.123456Z");

    private Database database;
    private QueueRepository queue;

    /** A new, empty database (migrated by {@link Database#open}). */
    protected abstract Database openNewDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        database = openNewDatabase();
        queue = new QueueRepository(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private static List<QueueRepository.NewStanza> stanzas(String... stanzaIds) {
        return java.util.Arrays.stream(stanzaIds)
                .map(id -> new QueueRepository.NewStanza(id, "<message id='" + id + "'/>", NOW)).toList();
    }

    @Test
    void appendAllReturnsTheIdsOfTheNewRowsInOrder() {
        queue.appendAll("other.example", stanzas("x1"));
        List<Long> ids = queue.appendAll("a.example", stanzas("s1", "s2", "s3"));

        List<QueuedStanza> rows = queue.head("a.example", 10);
        assertThat(rows).extracting(QueuedStanza::id).containsExactlyElementsOf(ids);
        assertThat(rows).extracting(QueuedStanza::stanzaId).containsExactly("s1", "s2", "s3");
        assertThat(rows.get(0).queuedAt()).isEqualTo(NOW);
        assertThat(ids).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void afterReadsOnlyWhatFollowsTheGivenIdOfThatPeer() {
        List<Long> ids = queue.appendAll("a.example", stanzas("s1", "s2", "s3", "s4"));
        queue.appendAll("b.example", stanzas("t1"));

        assertThat(queue.after("a.example", ids.get(1), 10)).extracting(QueuedStanza::stanzaId)
                .containsExactly("s3", "s4");
        assertThat(queue.after("a.example", ids.get(1), 1)).extracting(QueuedStanza::stanzaId).containsExactly("s3");
        assertThat(queue.after("a.example", ids.get(3), 10)).isEmpty();

        queue.remove("a.example", List.of(ids.get(0), ids.get(2)));
        assertThat(queue.after("a.example", 0, 10)).extracting(QueuedStanza::stanzaId).containsExactly("s2", "s4");
    }
}
