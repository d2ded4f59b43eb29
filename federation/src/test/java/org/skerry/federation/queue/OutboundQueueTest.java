package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.skerry.federation.queue.RecordingPeerLink.Mode;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.Namespaces;

/** The outbound queue on a real node: real H2 file, real storage executor, real router for the bounces. */
class OutboundQueueTest {
    private static final String PEER = "peer.example";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Path dataDir;
    private QueueTestNode node;
    private Jid alice;
    private OutboundQueue queue;

    @BeforeEach
    void startNode() {
        dataDir = QueueTestNode.newDataDir();
        node = QueueTestNode.start(dataDir);
        alice = node.createUser("alice");
    }

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.close();
        }
        node.close();
    }

    private static QueueSettings settings(Duration maxAge, int maxPerPeer) {
        return new QueueSettings(maxAge, maxPerPeer, 7, Duration.ofSeconds(30), Duration.ofMillis(50),
                Duration.ofMillis(200));
    }

    private OutboundQueue start(PeerLinks links, QueueSettings settings) {
        queue = OutboundQueue.start(node.node(), links, settings, new Random(7));
        return queue;
    }

    private Element message(String toDomain, String body) {
        Element message = new Element("message", Namespaces.CLIENT)
                .attr("from", alice + "/phone").attr("to", "bob@" + toDomain).attr("type", "chat").attr("id", body);
        message.addChild("body").addText(body);
        return message;
    }

    private List<CompletableFuture<Void>> routeMessages(String domain, int count) {
        List<CompletableFuture<Void>> routed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            routed.add(queue.route(domain, message(domain, "m" + i)));
        }
        return routed;
    }

    /** The bytes of every file of the journal, as text. */
    private String journalText() throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        try (var files = java.nio.file.Files.list(QueueStores.journalDirectory(dataDir.resolve("skerry")))) {
            for (Path file : files.toList()) {
                text.append(new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return text.toString();
    }

    /** Work in the peer's storage lane that runs until the latch is counted down: what is queued after it waits. */
    private java.util.concurrent.CountDownLatch holdLane(String domain) {
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        node.node().storage().run(queue.peer(domain).lane(), () -> busy.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        return busy;
    }

    private static List<String> bodies(int count) {
        return IntStream.range(0, count).mapToObj(i -> "m" + i).toList();
    }

    private PeerStatus status(String domain) {
        return queue.status().stream().filter(s -> s.domain().equals(domain)).findFirst().orElseThrow();
    }

    @Test
    void deliversInRouteOrderAndEmptiesTheQueue() {
        RecordingPeerLink peer = new RecordingPeerLink();
        start(peer, settings(Duration.ofHours(72), 1000));

        CompletableFuture.allOf(routeMessages(PEER, 50).toArray(CompletableFuture[]::new)).join();

        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        assertThat(peer.writtenBodies()).containsExactlyElementsOf(bodies(50));
        for (Element stanza : peer.written()) {
            assertThat(StanzaIds.assignedBy(stanza, QueueTestNode.DOMAIN)).as("stanza-id by the sender's domain")
                    .isNotNull();
        }
        assertThat(peer.written().stream().map(s -> StanzaIds.assignedBy(s, QueueTestNode.DOMAIN)).distinct())
                .hasSize(50);
    }

    @Test
    void routeCompletesOnlyOnceTheStanzaIsCommitted() throws Exception {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.DOWN);
        start(peer, settings(Duration.ofHours(72), 1000));

        queue.route(PEER, message(PEER, "m0")).join();

        // Read straight from the journal's files: the stanza is written there as soon as route completed.
        assertThat(journalText()).contains("<body>m0</body>");
        assertThat(queue.store()).isInstanceOf(QueueJournal.class);
    }

    @Test
    void aPeerThatWasDownGetsEverythingOnceInOrderWhenItComesBack() {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.DOWN);
        start(peer, settings(Duration.ofHours(72), 1000));

        CompletableFuture.allOf(routeMessages(PEER, 30).toArray(CompletableFuture[]::new)).join();
        await().atMost(WAIT).until(() -> status(PEER).failedAttempts() >= 3);
        assertThat(peer.written()).isEmpty();
        assertThat(status(PEER).depth()).isEqualTo(30);
        assertThat(status(PEER).lastError()).contains("not ready");
        assertThat(status(PEER).nextRetry()).isNotNull();

        peer.mode(Mode.UP);
        queue.peerReady(PEER);

        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        assertThat(peer.writtenBodies()).containsExactlyElementsOf(bodies(30));
        assertThat(status(PEER).failedAttempts()).isZero();
        assertThat(status(PEER).lastError()).isNull();
    }

    @Test
    void lostAcknowledgementsAreResentAndTheReceiverDropsTheRepeats() {
        RecordingPeerLink peer = new RecordingPeerLink();
        InboundDeduplicator receiver = InboundDeduplicator.forNode(node.node());
        List<String> routedByReceiver = new java.util.concurrent.CopyOnWriteArrayList<>();
        peer.receiver(stanza -> {
            String id = StanzaIds.assignedBy(stanza, QueueTestNode.DOMAIN);
            if (receiver.firstTime(QueueTestNode.DOMAIN, id).join()) {
                routedByReceiver.add(stanza.childText("body"));
                receiver.routed(QueueTestNode.DOMAIN, id).join();
            }
        });
        peer.mode(Mode.ACK_LOST);
        start(peer, settings(Duration.ofHours(72), 1000));

        CompletableFuture.allOf(routeMessages(PEER, 20).toArray(CompletableFuture[]::new)).join();
        await().atMost(WAIT).until(() -> status(PEER).failedAttempts() >= 2);
        peer.mode(Mode.UP);
        queue.peerReady(PEER);

        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        assertThat(peer.written().size()).as("the first batch went more than once").isGreaterThan(20);
        assertThat(routedByReceiver).containsExactlyElementsOf(bodies(20));
    }

    @Test
    void aDeadOrSilentPeerDoesNotDelayAnother() {
        RecordingPeerLink silent = new RecordingPeerLink();
        silent.mode(Mode.SILENT);
        RecordingPeerLink dead = new RecordingPeerLink();
        dead.mode(Mode.DOWN);
        RecordingPeerLink healthy = new RecordingPeerLink();
        start(domain -> switch (domain) {
            case "silent.example" -> silent;
            case "dead.example" -> dead;
            default -> healthy;
        }, settings(Duration.ofHours(72), 1000));

        routeMessages("silent.example", 20);
        routeMessages("dead.example", 20);
        await().atMost(WAIT).until(() -> silent.written().size() == 7);

        CompletableFuture.allOf(routeMessages(PEER, 40).toArray(CompletableFuture[]::new)).join();

        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        assertThat(healthy.writtenBodies()).containsExactlyElementsOf(bodies(40));
        assertThat(status("silent.example").depth()).isEqualTo(20);
        // A batch's worth (7) waits for its acknowledgement; nothing is sent behind it.
        assertThat(status("silent.example").inFlight()).isEqualTo(7);
        assertThat(silent.writtenBodies()).containsExactlyElementsOf(bodies(7));
        assertThat(status("dead.example").depth()).isEqualTo(20);
        assertThat(dead.written()).isEmpty();
    }

    @Test
    void whileNothingWaitsOnDiskAcknowledgedStanzasAreRemovedWithoutReadRounds() throws Exception {
        RecordingPeerLink peer = new RecordingPeerLink();
        start(peer, settings(Duration.ofHours(72), 1000));

        // One at a time, as a steady trickle arrives: each goes straight to the link and is acknowledged at once.
        for (int i = 0; i < 300; i++) {
            queue.route(PEER, message(PEER, "m" + i)).join();
        }

        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        assertThat(peer.writtenBodies()).containsExactlyElementsOf(bodies(300));
        // A read round would make the stanzas committed meanwhile wait on disk for the next read.
        assertThat(queue.peer(PEER).readRounds()).as("read rounds").isZero();
        assertThat(queue.store().depths()).as("everything acknowledged is removed from disk").isEmpty();
    }

    @Test
    void aRetryReportsTheQueueEmptyOnlyOnceWhatWasAcknowledgedIsGoneFromDisk() throws Exception {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.SILENT);
        start(peer, settings(Duration.ofHours(72), 1000)); // a window of 7
        CompletableFuture.allOf(routeMessages(PEER, 4).toArray(CompletableFuture[]::new)).join();
        await().atMost(WAIT).until(() -> peer.written().size() == 4);
        // The admin's retry queues a read round behind other work of the lane; the peer's acknowledgement of all
        // four arrives before that round runs.
        java.util.concurrent.CountDownLatch busy = holdLane(PEER);
        CompletableFuture<RetryOutcome> retried = queue.retryNow(PEER);
        peer.acknowledgeAll();
        busy.countDown();

        RetryOutcome outcome = retried.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(outcome.result()).isEqualTo(RetryOutcome.Result.EMPTIED);
        assertThat(outcome.queued()).as("still on disk when the retry said empty").isZero();
        assertThat(status(PEER).depth()).isZero();
        assertThat(peer.writtenBodies()).as("nothing sent twice").containsExactlyElementsOf(bodies(4));
    }

    @Test
    void sendingRunsAheadOfTheAcknowledgementsByNoMoreThanABatch() {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.SILENT);
        start(peer, settings(Duration.ofHours(72), 1000)); // batches of 7

        CompletableFuture.allOf(routeMessages(PEER, 100).toArray(CompletableFuture[]::new)).join();
        await().atMost(WAIT).until(() -> peer.written().size() == 7);
        // Routed one by one, the first stanzas went in several batches, each without waiting for the one before;
        // but no more than a batch in all is unacknowledged: all that a peer without de-duplication can get twice.
        assertThat(peer.unacknowledgedBatches()).isBetween(1, 7);
        assertThat(status(PEER).inFlight()).isEqualTo(7);
        assertThat(peer.writtenBodies()).containsExactlyElementsOf(bodies(7)); // the oldest, in order

        peer.mode(Mode.UP);
        peer.acknowledgeAll();

        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        assertThat(peer.writtenBodies()).as("each once, in route order").containsExactlyElementsOf(bodies(100));
        assertThat(status(PEER).inFlight()).isZero();
    }

    @Test
    void aBatchThePeerNeverAcknowledgesFailsAfterTheTimeoutAndGoesAgain() {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.SILENT);
        start(peer, new QueueSettings(Duration.ofHours(72), 1000, 7, Duration.ofMillis(300), Duration.ofMillis(50),
                Duration.ofMillis(200)));

        CompletableFuture.allOf(routeMessages(PEER, 3).toArray(CompletableFuture[]::new)).join();
        await().atMost(WAIT).until(() -> status(PEER).failedAttempts() >= 1);
        assertThat(status(PEER).lastError()).isEqualTo("not acknowledged: TimeoutException");
        assertThat(status(PEER).depth()).isEqualTo(3);

        peer.mode(Mode.UP);
        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        List<String> written = peer.writtenBodies();
        assertThat(written.subList(written.size() - 3, written.size())).as("all again, from the oldest")
                .containsExactlyElementsOf(bodies(3));
    }

    @Test
    void aFullPeerQueueRefusesWithResourceConstraint() {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.DOWN);
        start(peer, settings(Duration.ofHours(72), 3));

        List<CompletableFuture<Void>> routed = routeMessages(PEER, 5);

        for (int i = 0; i < 3; i++) {
            routed.get(i).join();
        }
        for (int i = 3; i < 5; i++) {
            assertThat(routed.get(i)).failsWithin(WAIT)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(StanzaRefusedException.class);
        }
        await().atMost(WAIT).until(() -> node.deliveredToLocalResources().size() == 2);
        assertThat(node.deliveredToLocalResources()).allSatisfy(bounce -> {
            assertThat(bounce.attr("type")).isEqualTo("error");
            assertThat(bounce.attr("to")).isEqualTo(alice + "/phone");
            assertThat(bounce.child("error").child("resource-constraint", Namespaces.STANZAS_ERROR)).isNotNull();
        }).extracting(bounce -> bounce.attr("id")).containsExactly("m3", "m4");
        assertThat(status(PEER).depth()).isEqualTo(3);
        // Another peer still has room: the cap is per peer.
        queue.route("other.example", message("other.example", "x")).join();
    }

    @Test
    void stanzasOlderThanTheMaximumAgeBounceWithRemoteServerTimeout() {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.DOWN);
        start(peer, settings(Duration.ofMillis(800), 1000));

        queue.route(PEER, message(PEER, "late")).join();
        Element iqGet = new Element("iq", Namespaces.CLIENT).attr("type", "get").attr("id", "ping-1")
                .attr("from", alice + "/phone").attr("to", PEER);
        iqGet.addChild("ping", "urn:xmpp:ping");
        queue.route(PEER, iqGet).join();
        Element iqResult = new Element("iq", Namespaces.CLIENT).attr("type", "result").attr("id", "answer-1")
                .attr("from", alice + "/phone").attr("to", PEER);
        queue.route(PEER, iqResult).join();

        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        List<Element> bounces = node.deliveredToLocalResources();
        assertThat(bounces).extracting(b -> b.name() + "/" + b.attr("id")).containsExactly("message/late", "iq/ping-1");
        for (Element bounce : bounces) {
            assertThat(bounce.attr("type")).isEqualTo("error");
            assertThat(bounce.attr("to")).isEqualTo(alice + "/phone");
            assertThat(bounce.child("error").attr("type")).isEqualTo("wait");
            assertThat(bounce.child("error").child("remote-server-timeout", Namespaces.STANZAS_ERROR)).isNotNull();
        }
        assertThat(bounces).extracting(b -> b.attr("from")).containsExactly("bob@" + PEER, PEER);
        Element messageBounce = bounces.get(0);
        assertThat(messageBounce.childText("body")).isEqualTo("late");
        assertThat(messageBounce.child("stanza-id", StanzaIds.NAMESPACE)).as("our stamp is not shown to the sender")
                .isNull();
        assertThat(peer.written()).isEmpty();
    }

    @Test
    void aPeerThatCannotExistBouncesEverythingAtOnceAndTheNextStanzaIsTriedAfresh() {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.GONE);
        start(peer, settings(Duration.ofHours(72), 1000));

        CompletableFuture.allOf(routeMessages(PEER, 10).toArray(CompletableFuture[]::new)).join();

        await().atMost(WAIT).until(() -> node.deliveredToLocalResources().size() == 10);
        assertThat(node.deliveredToLocalResources()).allSatisfy(bounce -> {
            assertThat(bounce.attr("type")).isEqualTo("error");
            assertThat(bounce.child("error").attr("type")).isEqualTo("cancel");
            assertThat(bounce.child("error").child("remote-server-not-found", Namespaces.STANZAS_ERROR)).isNotNull();
            assertThat(bounce.child("error").child("text", Namespaces.STANZAS_ERROR).text())
                    .isEqualTo("DNS says the domain does not exist");
        }).extracting(b -> b.childText("body")).containsExactlyElementsOf(bodies(10));
        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        assertThat(status(PEER).failedAttempts()).as("bounced, not retried with backoff").isZero();
        assertThat(status(PEER).nextRetry()).isNull();

        // Once the queue is empty the verdict is forgotten: the domain may exist by now.
        peer.mode(Mode.UP);
        queue.route(PEER, message(PEER, "later")).join();
        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        assertThat(peer.writtenBodies()).containsExactly("later");
    }

    @Test
    void aRestartedNodeResumesWhatWasQueued() {
        RecordingPeerLink down = new RecordingPeerLink();
        down.mode(Mode.DOWN);
        start(down, settings(Duration.ofHours(72), 1000));
        CompletableFuture.allOf(routeMessages(PEER, 25).toArray(CompletableFuture[]::new)).join();
        queue.close();
        node.close();

        node = QueueTestNode.start(dataDir);
        // Read from storage before the queue starts: once it runs, the live link may drain it at any moment.
        try (QueueJournal journal = QueueJournal.open(QueueStores.journalDirectory(dataDir.resolve("skerry")))) {
            assertThat(journal.head(PEER, 100)).hasSize(25);
        }
        RecordingPeerLink up = new RecordingPeerLink();
        start(up, settings(Duration.ofHours(72), 1000));

        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        assertThat(up.writtenBodies()).containsExactlyElementsOf(bodies(25));
    }

    @Test
    void aCommitStillWaitingInItsLaneWhenTheQueueClosesIsWrittenFirst() throws Exception {
        RecordingPeerLink down = new RecordingPeerLink();
        down.mode(Mode.DOWN);
        start(down, settings(Duration.ofHours(72), 1000));
        queue.route(PEER, message(PEER, "m0")).join();
        // Earlier work of the peer's lane that is still running, as on a busy node: the next commit waits behind it.
        java.util.concurrent.CountDownLatch busy = holdLane(PEER);
        CompletableFuture<Void> waiting = queue.route(PEER, message(PEER, "m1"));
        OutboundQueue closing = queue;
        CompletableFuture<Void> closed = CompletableFuture.runAsync(closing::close);
        Thread.sleep(300);
        assertThat(closed).as("close waits for the lane").isNotDone();
        busy.countDown();

        closed.get(OutboundQueue.CLOSE_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        queue = null;
        assertThat(waiting).as("the sender's stanza was accepted, not refused").succeedsWithin(Duration.ofSeconds(1));
        node.close();
        node = QueueTestNode.start(dataDir);
        try (QueueJournal journal = QueueJournal.open(QueueStores.journalDirectory(dataDir.resolve("skerry")))) {
            assertThat(journal.head(PEER, 100)).hasSize(2);
        }
    }

    @Test
    void aStanzaRoutedOnceTheQueueClosedIsRefusedAndBouncedNotLost() {
        start(new RecordingPeerLink(), settings(Duration.ofHours(72), 1000));
        queue.close();

        CompletableFuture<Void> late = queue.route(PEER, message(PEER, "late"));
        queue = null;

        assertThat(late).failsWithin(WAIT).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(StanzaRefusedException.class);
        await().atMost(WAIT).until(() -> node.deliveredToLocalResources().size() == 1);
        Element bounce = node.deliveredToLocalResources().get(0);
        assertThat(bounce.childText("body")).isEqualTo("late");
        assertThat(bounce.child("error").child("resource-constraint", Namespaces.STANZAS_ERROR)).isNotNull();
    }

    @Test
    void aStanzaDamagedOnDiskIsSkippedAndTheRestStillDelivered() throws Exception {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.DOWN);
        start(peer, settings(Duration.ofHours(72), 1000));
        CompletableFuture.allOf(routeMessages(PEER, 3).toArray(CompletableFuture[]::new)).join();
        Path journal = QueueStores.journalDirectory(dataDir.resolve("skerry"));
        try (var files = java.nio.file.Files.list(journal)) {
            for (Path segment : files.filter(f -> f.toString().endsWith(".seg")).toList()) {
                byte[] bytes = java.nio.file.Files.readAllBytes(segment);
                int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("<body>m1</body>");
                if (at > 0) { // one flipped bit in the second stanza, while the node runs
                    try (var file = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
                        file.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (bytes[at + 7] ^ 0x20)}), at + 7);
                    }
                }
            }
        }

        peer.mode(Mode.UP);
        queue.retryNow(PEER).get(30, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        assertThat(peer.writtenBodies()).containsExactly("m0", "m2");
    }

    @Test
    void aStanzaForABlockedDomainBouncesAtOnceWithNotAllowedAndIsNeverQueued() {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.blocked(true);
        start(peer, settings(Duration.ofHours(72), 1000));

        assertThat(queue.route(PEER, message(PEER, "spam"))).isCompletedExceptionally();

        assertNotAllowedBounces("spam");
        assertThat(queue.store().head(PEER, 10)).isEmpty();
        assertThat(peer.written()).isEmpty();
    }

    @Test
    void whatWasQueuedBeforeTheDomainWasBlockedBouncesWithNotAllowedAfterTheRestart() {
        RecordingPeerLink down = new RecordingPeerLink();
        down.mode(Mode.DOWN);
        start(down, settings(Duration.ofHours(72), 1000));
        CompletableFuture.allOf(routeMessages(PEER, 3).toArray(CompletableFuture[]::new)).join();
        queue.close();
        node.close();

        node = QueueTestNode.start(dataDir);
        RecordingPeerLink blocked = new RecordingPeerLink();
        blocked.blocked(true);
        start(blocked, settings(Duration.ofHours(72), 1000));

        await().atMost(WAIT).until(() -> status(PEER).depth() == 0);
        assertNotAllowedBounces("m0", "m1", "m2");
        assertThat(blocked.written()).isEmpty();
    }

    private void assertNotAllowedBounces(String... bodies) {
        await().atMost(WAIT).until(() -> node.deliveredToLocalResources().size() == bodies.length);
        List<Element> bounces = node.deliveredToLocalResources();
        assertThat(bounces).extracting(b -> b.childText("body")).containsExactly(bodies);
        for (Element bounce : bounces) {
            assertThat(bounce.attr("type")).isEqualTo("error");
            assertThat(bounce.child("error").attr("type")).isEqualTo("cancel");
            assertThat(bounce.child("error").child("not-allowed", Namespaces.STANZAS_ERROR)).isNotNull();
        }
    }

    @Test
    void routeDoesNotChangeTheCallersStanza() throws Exception {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.DOWN);
        start(peer, settings(Duration.ofHours(72), 1000));
        Element original = message(PEER, "shared");
        String before = original.toXml();

        queue.route(PEER, original).get(20, TimeUnit.SECONDS);

        assertThat(original.toXml()).isEqualTo(before);
    }
}
