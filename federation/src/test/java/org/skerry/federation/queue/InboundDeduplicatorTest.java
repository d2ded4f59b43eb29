package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

    private InboundDeduplicator deduplicator(int maxRunsPerPeer) {
        // The node's write delay, so that each routed() also proves the delayed write happens.
        return new InboundDeduplicator(node.node().storage(), clock, RETENTION, maxRunsPerPeer, node.node().scheduler(),
                InboundDeduplicator.DEFAULT_WRITE_DELAY);
    }

    private long storedRuns(String peer) {
        return new PeerMarkRepository(node.node().storage().database()).count(peer);
    }

    /** What a link does with an inbound stanza: check, route, record. */
    private static boolean receive(InboundDeduplicator dedupe, String peer, String id) {
        if (!dedupe.firstTime(peer, id).join()) {
            return false;
        }
        dedupe.routed(peer, id).join();
        return true;
    }

    private void restart() {
        node.close();
        node = QueueTestNode.start(dataDir);
    }

    @Test
    void aRepeatIsDroppedEvenAfterARestart() {
        InboundDeduplicator dedupe = deduplicator(16);
        assertThat(receive(dedupe, "a.example", "run1.1.x")).isTrue();
        assertThat(receive(dedupe, "a.example", "run1.2.y")).isTrue();
        assertThat(receive(dedupe, "a.example", "run1.1.x")).isFalse();
        assertThat(receive(dedupe, "a.example", "run1.2.y")).isFalse();
        assertThat(receive(dedupe, "b.example", "run1.1.x")).as("marks are scoped by peer").isTrue();

        restart();

        InboundDeduplicator restarted = deduplicator(16);
        assertThat(receive(restarted, "a.example", "run1.2.y")).isFalse();
        assertThat(receive(restarted, "a.example", "run1.3.z")).isTrue();
        assertThat(storedRuns("a.example")).isEqualTo(1);
    }

    @Test
    void stanzasArrivingBeforeThePeersMarksWereReadAreClaimedInArrivalOrder() {
        InboundDeduplicator dedupe = deduplicator(16);
        List<CompletableFuture<Boolean>> answers = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            answers.add(dedupe.firstTime("a.example", "run1." + i + ".x")); // the first one starts the read
        }
        assertThat(answers).allSatisfy(answer -> assertThat(answer.join()).as("none taken for a repeat").isTrue());
        assertThat(dedupe.firstTime("a.example", "run1.200.x").join()).isFalse();
    }

    @Test
    void aCopyArrivingWhileTheFirstIsBeingRoutedIsDropped() {
        InboundDeduplicator dedupe = deduplicator(16);
        assertThat(dedupe.firstTime("a.example", "run1.1.x").join()).isTrue();
        assertThat(dedupe.firstTime("a.example", "run1.1.x").join()).isFalse();
    }

    @Test
    void aFailedRoutingKeepsItsClaim() {
        InboundDeduplicator dedupe = deduplicator(16);
        assertThat(dedupe.firstTime("a.example", "run1.1.x").join()).isTrue();
        assertThat(dedupe.firstTime("a.example", "run1.2.x").join()).isTrue();

        dedupe.abandoned("a.example", "run1.1.x");

        assertThat(dedupe.firstTime("a.example", "run1.1.x").join())
                .as("later stanzas of the run are claimed already; the peer had it acknowledged").isFalse();
    }

    @Test
    void eachRunOfTheSendingNodeCountsOnItsOwn() {
        InboundDeduplicator dedupe = deduplicator(16);
        assertThat(receive(dedupe, "a.example", "run1.5.x")).isTrue();
        assertThat(receive(dedupe, "a.example", "run2.1.x")).as("the peer restarted: its count starts again").isTrue();
        assertThat(receive(dedupe, "a.example", "run1.5.x")).as("its queue still sends the old run's stanzas").isFalse();
        assertThat(receive(dedupe, "a.example", "run1.6.x")).isTrue();
    }

    @Test
    void aStanzaStillBeingRoutedIsNotStoredAsRoutedSoACrashCannotLoseIt() {
        InboundDeduplicator dedupe = deduplicator(16);
        assertThat(receive(dedupe, "a.example", "run1.1.x")).isTrue();
        assertThat(dedupe.firstTime("a.example", "run1.2.x").join()).isTrue(); // routing takes long (storage, say)
        assertThat(receive(dedupe, "a.example", "run1.3.x")).isTrue();

        restart(); // a crash before 2 finished routing: the peer sends 2 and 3 again

        InboundDeduplicator restarted = deduplicator(16);
        assertThat(receive(restarted, "a.example", "run1.1.x")).isFalse();
        assertThat(receive(restarted, "a.example", "run1.2.x")).as("not lost").isTrue();
        assertThat(receive(restarted, "a.example", "run1.3.x"))
                .as("routed twice: at least once, never lost").isTrue();
    }

    @Test
    void onceEarlierStanzasFinishedEverythingUpToTheHighestIsStored() {
        InboundDeduplicator dedupe = deduplicator(16);
        assertThat(dedupe.firstTime("a.example", "run1.1.x").join()).isTrue();
        assertThat(receive(dedupe, "a.example", "run1.2.x")).isTrue();
        dedupe.routed("a.example", "run1.1.x").join();

        restart();

        assertThat(receive(deduplicator(16), "a.example", "run1.2.x")).isFalse();
    }

    @Test
    void otherServersIdsAreRoutedEveryTime() {
        InboundDeduplicator dedupe = deduplicator(16);
        assertThat(receive(dedupe, "a.example", "m-1")).isTrue();
        assertThat(receive(dedupe, "a.example", "m-1")).isTrue();
        assertThat(receive(dedupe, "a.example", "5f3dbc5e-e1d3-4077-a492-693f3769c7ad")).isTrue();
        assertThat(storedRuns("a.example")).isZero();
    }

    @Test
    void marksExpireAfterTheRetention() {
        InboundDeduplicator dedupe = deduplicator(16);
        receive(dedupe, "a.example", "old.1.x");
        clock.advance(RETENTION.minusMinutes(1));
        receive(dedupe, "a.example", "recent.1.x");

        clock.advance(Duration.ofMinutes(2));

        assertThat(dedupe.expire().join()).isEqualTo(1);
        assertThat(storedRuns("a.example")).isEqualTo(1);
        restart();
        InboundDeduplicator restarted = deduplicator(16);
        assertThat(receive(restarted, "a.example", "recent.1.x")).isFalse();
        assertThat(receive(restarted, "a.example", "old.1.x")).as("forgotten after the retention").isTrue();
    }

    @Test
    void onlyTheNewestRunsOfAPeerAreKept() {
        InboundDeduplicator dedupe = deduplicator(3);
        for (String run : new String[] {"ra", "rb", "rc", "rd"}) {
            receive(dedupe, "a.example", run + ".1.x");
        }
        receive(dedupe, "b.example", "ra.1.x");

        assertThat(storedRuns("a.example")).isEqualTo(3);
        assertThat(storedRuns("b.example")).isEqualTo(1);
        assertThat(receive(dedupe, "a.example", "rd.1.x")).as("the newest are kept").isFalse();
        assertThat(receive(dedupe, "a.example", "ra.1.x")).as("the oldest was let go").isTrue();

        restart();
        assertThat(receive(deduplicator(3), "a.example", "rb.1.x")).as("evicted by ra coming back").isTrue();
    }
}
