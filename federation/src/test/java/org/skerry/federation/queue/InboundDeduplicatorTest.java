package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Receiver-side de-duplication on a real node's H2 file and storage executor. */
class InboundDeduplicatorTest {
    private static final Duration RETENTION = Duration.ofHours(72);

    private Path dataDir;
    private QueueTestNode node;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void start() {
        dataDir = QueueTestNode.newDataDir();
        node = QueueTestNode.start(dataDir);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private InboundDeduplicator deduplicator(int maxPerPeer) {
        return new InboundDeduplicator(node.node().storage(), clock, RETENTION, maxPerPeer);
    }

    /** What a link does with an inbound stanza: check, route, record. */
    private static boolean receive(InboundDeduplicator dedupe, String peer, String id) {
        if (!dedupe.firstTime(peer, id).join()) {
            return false;
        }
        dedupe.routed(peer, id).join();
        return true;
    }

    @Test
    void aRepeatIsDroppedEvenAfterARestart() {
        InboundDeduplicator dedupe = deduplicator(1000);
        assertThat(receive(dedupe, "a.example", "id-1")).isTrue();
        assertThat(receive(dedupe, "a.example", "id-1")).isFalse();
        assertThat(receive(dedupe, "b.example", "id-1")).as("ids are scoped by peer").isTrue();

        node.close();
        node = QueueTestNode.start(dataDir);

        assertThat(receive(deduplicator(1000), "a.example", "id-1")).isFalse();
    }

    @Test
    void aCopyArrivingWhileTheFirstIsBeingRoutedIsDropped() {
        InboundDeduplicator dedupe = deduplicator(1000);
        assertThat(dedupe.firstTime("a.example", "id-1").join()).isTrue();
        assertThat(dedupe.firstTime("a.example", "id-1").join()).isFalse();

        dedupe.abandoned("a.example", "id-1");

        assertThat(dedupe.firstTime("a.example", "id-1").join()).as("routing failed: the next copy goes").isTrue();
    }

    @Test
    void idsExpireAfterTheRetention() {
        InboundDeduplicator dedupe = deduplicator(1000);
        receive(dedupe, "a.example", "old");
        clock.advance(RETENTION.minusMinutes(1));
        receive(dedupe, "a.example", "recent");
        assertThat(receive(dedupe, "a.example", "old")).isFalse();

        clock.advance(Duration.ofMinutes(2));

        assertThat(dedupe.expire().join()).isEqualTo(1);
        SeenIdRepository rows = new SeenIdRepository(node.node().storage().database());
        assertThat(rows.count("a.example")).isEqualTo(1);
        assertThat(receive(dedupe, "a.example", "recent")).isFalse();
        assertThat(receive(dedupe, "a.example", "old")).as("forgotten after the retention").isTrue();
    }

    @Test
    void anExpiredRecordNoLongerCountsEvenBeforeItIsDeleted() {
        InboundDeduplicator dedupe = deduplicator(1000);
        receive(dedupe, "a.example", "old");
        clock.advance(RETENTION.plusSeconds(1));

        assertThat(receive(dedupe, "a.example", "old")).isTrue();
        assertThat(receive(dedupe, "a.example", "old")).isFalse();
    }

    @Test
    void theRecordIsBoundedPerPeer() {
        InboundDeduplicator dedupe = deduplicator(5);
        for (int i = 0; i < 12; i++) {
            receive(dedupe, "a.example", "id-" + i);
        }
        receive(dedupe, "b.example", "other");

        SeenIdRepository rows = new SeenIdRepository(node.node().storage().database());
        assertThat(rows.count("a.example")).isEqualTo(5);
        assertThat(rows.count("b.example")).isEqualTo(1);
        assertThat(receive(dedupe, "a.example", "id-11")).as("the newest are kept").isFalse();
        assertThat(receive(dedupe, "a.example", "id-0")).as("the oldest were let go").isTrue();
    }

    @Test
    void aLargeRecordIsTrimmedOncePerHundredthNotPerStanza() {
        InboundDeduplicator dedupe = deduplicator(500); // trims every 5 ids
        SeenIdRepository rows = new SeenIdRepository(node.node().storage().database());
        for (int i = 0; i < 503; i++) {
            receive(dedupe, "a.example", "id-" + i);
        }
        assertThat(rows.count("a.example")).as("over the bound by less than 1 %% until the next trim").isEqualTo(503);
        for (int i = 503; i < 1000; i++) {
            receive(dedupe, "a.example", "id-" + i);
        }
        assertThat(rows.count("a.example")).isEqualTo(500);
        assertThat(receive(dedupe, "a.example", "id-999")).as("the newest are kept").isFalse();
        assertThat(receive(dedupe, "a.example", "id-0")).as("the oldest were let go").isTrue();
    }
}
