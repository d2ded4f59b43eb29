package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store of the outbound queue does, run on each by the subclasses (the journal, the table on H2 and on
 * PostgreSQL): the ids an append returns (the queue sends just-stored stanzas by them, without reading them back)
 * must be the stanzas' own, in order.
 */
abstract class QueueStoreContract {
    static final Instant NOW = Instant.parse("2025-06-02T09:15:30.123456Z");

    private AutoCloseable resources;
    protected QueueStore queue;

    /** A new, empty store, and what closes it. */
    protected abstract QueueStore openNewStore() throws Exception;

    /** What {@link #openNewStore} opened. */
    protected abstract AutoCloseable opened();

    @BeforeEach
    void open() throws Exception {
        queue = openNewStore();
        resources = opened();
    }

    @AfterEach
    void close() throws Exception {
        resources.close();
    }

    static List<QueueStore.NewStanza> stanzas(String... stanzaIds) {
        return java.util.Arrays.stream(stanzaIds)
                .map(id -> new QueueStore.NewStanza(id, "<message id='" + id + "'/>", NOW)).toList();
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

    @Test
    void depthsAndOldestCountOnlyWhatIsStillQueuedAndARepeatedRemovalIsHarmless() {
        List<Long> a = queue.appendAll("a.example", List.of(
                new QueueStore.NewStanza("s1", "<message/>", NOW.minusSeconds(60)),
                new QueueStore.NewStanza("s2", "<message/>", NOW)));
        List<Long> b = queue.appendAll("b.example", stanzas("t1"));

        queue.remove("a.example", List.of(a.get(0)));
        queue.remove("a.example", List.of(a.get(0)));
        queue.remove("a.example", List.of(b.get(0))); // another peer's id: not this peer's to remove
        queue.remove("c.example", List.of(a.get(1)));

        assertThat(queue.depths()).isEqualTo(Map.of("a.example", 1L, "b.example", 1L));
        assertThat(queue.oldestQueued()).isEqualTo(Map.of("a.example", NOW, "b.example", NOW));
        queue.remove("b.example", b);
        assertThat(queue.depths()).containsOnlyKeys("a.example");
        assertThat(queue.head("b.example", 10)).isEmpty();
    }

    @Test
    void aStanzaComesBackAsItWasAppended() {
        String xml = "<message to='u@b.example' id='\u00e9t\u00e9'><body>\ud83d\ude00 &lt;&amp;</body></message>";
        queue.appendAll("b.example", List.of(new QueueStore.NewStanza("id-1", xml, NOW)));

        QueuedStanza row = queue.head("b.example", 1).get(0);
        assertThat(row.xml()).isEqualTo(xml);
        assertThat(row.peerDomain()).isEqualTo("b.example");
        assertThat(row.stanzaId()).isEqualTo("id-1");
    }
}
