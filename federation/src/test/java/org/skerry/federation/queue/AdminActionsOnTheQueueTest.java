package org.skerry.federation.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
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

/**
 * The admin's "retry now" and runtime block, seen from the queue: both must act at once, not when a backoff of an
 * hour runs out. Real node (H2, storage executor, router for the bounces), a recording link for the peer.
 */
class AdminActionsOnTheQueueTest {
    private static final String PEER = "peer.example";
    /** Far longer than any test: whatever happens within it happened because of the admin. */
    private static final Duration LONG_BACKOFF = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private QueueTestNode node;
    private Jid alice;
    private OutboundQueue queue;

    @BeforeEach
    void startNode() {
        node = QueueTestNode.start(QueueTestNode.newDataDir());
        alice = node.createUser("alice");
    }

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.close();
        }
        node.close();
    }

    @Test
    void retryNowCutsALongBackoffShortAndSaysWhatItDelivered() throws Exception {
        RecordingPeerLink peer = downPeerWithQueued(3);
        peer.mode(Mode.UP); // the peer's admin says it is back; nothing tells this node

        RetryOutcome outcome = queue.retryNow(PEER).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(RetryOutcome.Result.EMPTIED);
        assertThat(outcome.delivered()).isEqualTo(3);
        assertThat(outcome.queued()).isZero();
        assertThat(peer.writtenBodies()).containsExactly("m0", "m1", "m2");
        assertThat(status().nextRetry()).isNull();
        assertThat(status().failedAttempts()).isZero();
    }

    @Test
    void retryNowOfAPeerStillDownSaysWhyAndWhenTheBackoffTriesAgain() throws Exception {
        downPeerWithQueued(2);
        int failuresBefore = status().failedAttempts();

        RetryOutcome outcome = queue.retryNow(PEER).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(RetryOutcome.Result.FAILED);
        assertThat(outcome.error()).contains("not ready");
        assertThat(outcome.queued()).isEqualTo(2);
        assertThat(outcome.delivered()).isZero();
        assertThat(outcome.nextRetry()).isAfter(Instant.now().plus(Duration.ofMinutes(20)));
        assertThat(status().failedAttempts()).isEqualTo(failuresBefore + 1);
    }

    @Test
    void retryNowWithNothingQueuedSaysSo() throws Exception {
        queue = OutboundQueue.start(node.node(), new RecordingPeerLink(), settings(), new Random(7));

        RetryOutcome outcome = queue.retryNow(PEER).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(outcome.result()).isEqualTo(RetryOutcome.Result.EMPTIED);
        assertThat(outcome.delivered()).isZero();
        assertThat(outcome.bounced()).isZero();
    }

    @Test
    void blockingAPeerThatWaitsForItsBackoffBouncesItsQueueAtOnce() {
        RecordingPeerLink peer = downPeerWithQueued(3);

        peer.blocked(true);
        queue.bounceBlocked(PEER);

        assertNotAllowedBounces("m0", "m1", "m2");
        assertThat(peer.written()).isEmpty();
    }

    @Test
    void aBatchOnItsWayWhenThePeerIsBlockedBouncesAsSoonAsItsLinkCloses() {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.SILENT); // takes the batch and never acknowledges it
        queue = OutboundQueue.start(node.node(), peer, settings(), new Random(7));
        route(2);
        await().atMost(WAIT).until(() -> peer.written().size() == 2); // in one batch or two, neither acknowledged

        peer.blocked(true);
        queue.bounceBlocked(PEER);
        peer.failUnacknowledged(); // the block closes the link under the batch

        assertNotAllowedBounces("m0", "m1");
        assertThat(status().nextRetry()).as("no backoff for a blocked peer").isNull();
    }

    /** A queue whose peer is down, with {@code count} stanzas waiting for a backoff of an hour. */
    private RecordingPeerLink downPeerWithQueued(int count) {
        RecordingPeerLink peer = new RecordingPeerLink();
        peer.mode(Mode.DOWN);
        queue = OutboundQueue.start(node.node(), peer, settings(), new Random(7));
        route(count);
        await().atMost(WAIT).until(() -> status().nextRetry() != null);
        assertThat(status().nextRetry()).isAfter(Instant.now().plus(Duration.ofMinutes(20)));
        return peer;
    }

    private static QueueSettings settings() {
        // Acknowledgements may take 5 minutes: a bounce within WAIT did not come from the ack timeout.
        return new QueueSettings(Duration.ofHours(72), 1000, 100, Duration.ofMinutes(5), LONG_BACKOFF, LONG_BACKOFF);
    }

    private void route(int count) {
        CompletableFuture.allOf(IntStream.range(0, count).mapToObj(i -> queue.route(PEER, message("m" + i)))
                .toArray(CompletableFuture[]::new)).join();
    }

    private Element message(String body) {
        Element message = new Element("message", Namespaces.CLIENT)
                .attr("from", alice + "/phone").attr("to", "bob@" + PEER).attr("type", "chat").attr("id", body);
        message.addChild("body").addText(body);
        return message;
    }

    private PeerStatus status() {
        return queue.status().stream().filter(s -> s.domain().equals(PEER)).findFirst().orElseThrow();
    }

    private void assertNotAllowedBounces(String... bodies) {
        await().atMost(WAIT).until(() -> node.deliveredToLocalResources().size() == bodies.length);
        List<Element> bounces = node.deliveredToLocalResources();
        assertThat(bounces).extracting(b -> b.childText("body")).containsExactly(bodies);
        for (Element bounce : bounces) {
            assertThat(bounce.attr("type")).isEqualTo("error");
            assertThat(bounce.child("error").child("not-allowed", Namespaces.STANZAS_ERROR)).isNotNull();
        }
    }
}
