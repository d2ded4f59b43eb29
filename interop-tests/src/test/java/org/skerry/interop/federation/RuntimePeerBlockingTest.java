package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.skerry.interop.federation.PeerBlockingTest.login;
import static org.skerry.interop.SmackClients.messagesTo;
import static org.skerry.interop.SmackClients.send;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.skerry.federation.FederationModule;
import org.skerry.federation.admin.FederationAdmin;
import org.skerry.federation.admin.PeerReport;
import org.skerry.federation.admin.PolicyChange;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.federation.link.LinkStatus.State;
import org.skerry.federation.link.PeerPolicy.Standing;
import org.skerry.interop.TestNode;
import org.slf4j.LoggerFactory;

/**
 * The admin of a.test blocks b.test while both run (dialback over TLS, self-signed): the links between them end with
 * {@code <policy-violation/>}, stanzas for b.test bounce with not-allowed at once (also those queued before), b.test
 * can no longer authenticate, the block holds after a restart of a.test, and after the unblock the two chat again.
 */
class RuntimePeerBlockingTest {
    private static final String A = "a.test";
    private static final String B = "b.test";
    /** A bounce "at once" comes within this; a.test's backoff is minutes, b.test's queue_max_age is 3 s. */
    private static final Duration AT_ONCE = Duration.ofSeconds(2);

    private FederatedNodes nodes;

    @AfterEach
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void blockingAConnectedPeerClosesBothLinksWithPolicyViolationBouncesItsStanzasAndRefusesItsLinks()
            throws Exception {
        start();
        FederatedChatTest.chatBothWays(nodes, A, B);
        assertThat(links(A, B)).filteredOn(link -> link.state() == State.READY).extracting(LinkStatus::direction)
                .contains(Direction.OUTBOUND, Direction.INBOUND);

        ListAppender<ILoggingEvent> inboundLog = captureInboundStreamLog();
        try {
            PolicyChange blocked = admin(A).block(B);
            assertThat(blocked.summary()).startsWith("Blocked b.test: closed 2 links;");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(links(A, B)).noneMatch(link -> link.state() == State.READY);
                // b.test's own link to a.test read the stream error from a.test...
                assertThat(links(B, A)).anySatisfy(link -> {
                    assertThat(link.direction()).isEqualTo(Direction.OUTBOUND);
                    assertThat(link.lastError()).contains("stream error policy-violation");
                });
                // ...and the link from a.test, which b.test accepted, ended with one too.
                assertThat(List.copyOf(inboundLog.list)).anySatisfy(event -> assertThat(event.getFormattedMessage())
                        .contains("to b.test with the stream error policy-violation"));
            });
        } finally {
            ((Logger) LoggerFactory.getLogger("org.skerry.federation.link.InboundStream")).detachAppender(inboundLog);
        }
        assertThat(links(A, B)).filteredOn(link -> link.direction() == Direction.OUTBOUND).singleElement()
                .satisfies(link -> assertThat(link.lastError())
                        .isEqualTo("closed with the stream error policy-violation (This server does not federate with b.test)"));

        assertBouncesNotAllowedAtOnce();
        // b.test's new link cannot authenticate, so its message never arrives and bounces after its queue_max_age.
        PeerBlockingTest.assertRefused(nodes, B, A);
        assertDialbackAsRefusedWithPolicyViolation(nodes.node(A), nodes.s2sPort(A));
    }

    @Test
    void whatIsQueuedForAPeerThatIsDownBouncesAtOnceWhenItIsBlockedNotWhenItsBackoffEnds() throws Exception {
        start();
        nodes.stop(B);
        XMPPTCPConnection alice = login(nodes, A);
        try {
            BlockingQueue<Message> atAlice = messagesTo(alice);
            send(alice, "user@" + B, "queued while b.test is down");
            await().atMost(Duration.ofSeconds(20)).until(() -> peer(A, B).nextRetry() != null);
            PeerReport waiting = peer(A, B);
            assertThat(waiting.queued()).isEqualTo(1);
            assertThat(waiting.nextRetry()).as("a.test's backoff").isAfter(Instant.now().plusSeconds(60));
            assertThat(waiting.lastError()).contains("cannot connect to b.test");

            assertThat(admin(A).block(B).summary()).contains("1 queued stanza bounces to its sender with <not-allowed/>");

            Message bounce = atAlice.poll(AT_ONCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(bounce).as("the queued message bounces at once").isNotNull();
            assertThat(bounce.getBody()).isEqualTo("queued while b.test is down");
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.not_allowed);
            await().atMost(AT_ONCE).until(() -> peer(A, B).queued() == 0);
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aRuntimeBlockHoldsAfterARestartAndUnblockingLetsBothChatAgain() throws Exception {
        start();
        admin(A).block(B);

        nodes.restart(A);
        assertThat(admin(A).blockedDomains()).singleElement().satisfies(block -> {
            assertThat(block.domain()).isEqualTo(B);
            assertThat(block.byConfig()).isFalse();
        });
        assertThat(peer(A, B).standing()).isEqualTo(Standing.BLOCKED_AT_RUNTIME);
        assertBouncesNotAllowedAtOnce();
        assertDialbackAsRefusedWithPolicyViolation(nodes.node(A), nodes.s2sPort(A));

        assertThat(admin(A).unblock(B).changed()).isTrue();
        FederatedChatTest.chatBothWays(nodes, A, B);
        assertThat(peer(A, B).standing()).isEqualTo(Standing.ALLOWED);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * a.test backs off for minutes (a bounce within {@link #AT_ONCE} came from the block, not from a retry), and
     * b.test bounces what a.test refuses after 3 s.
     */
    /** Without XEP-0288, so that the two talk over one link each way and a block is seen to end both. */
    private void start() {
        nodes = FederatedNodes.start(List.of(A, B), domain -> domain.equals(A)
                ? List.of("federation.retry_initial=\"5m\"", "federation.retry_max=\"5m\"")
                : List.of("federation.queue_max_age=\"3s\""), "federation.auth=\"dialback\"", "federation.bidi=false");
        for (String domain : List.of(A, B)) {
            nodes.node(domain).createUser("user", "secret-" + domain);
        }
    }

    /** A message from a.test to b.test bounces with not-allowed within {@link #AT_ONCE}. */
    private void assertBouncesNotAllowedAtOnce() throws Exception {
        XMPPTCPConnection alice = login(nodes, A);
        try {
            BlockingQueue<Message> atAlice = messagesTo(alice);
            send(alice, "user@" + B, "to a blocked peer");
            Message bounce = atAlice.poll(AT_ONCE.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(bounce).as("immediate bounce").isNotNull();
            assertThat(bounce.getFrom().toString()).isEqualTo("user@" + B);
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.not_allowed);
        } finally {
            alice.disconnect();
        }
    }

    /** A new stream from "b.test" ends with policy-violation as soon as it asks to authenticate by dialback. */
    private static void assertDialbackAsRefusedWithPolicyViolation(TestNode node, int s2sPort) throws Exception {
        try (RawS2sPeer peer = new RawS2sPeer(node, s2sPort)) {
            peer.openStream(B);
            peer.startTls(B);
            peer.send("<db:result from='" + B + "' to='" + A + "'>0123456789abcdef</db:result>");
            assertThat(peer.awaitStreamErrorAndClose()).isEqualTo("policy-violation");
        }
    }

    private ListAppender<ILoggingEvent> captureInboundStreamLog() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger("org.skerry.federation.link.InboundStream")).addAppender(appender);
        return appender;
    }

    private FederationAdmin admin(String domain) { return federation(domain).admin().orElseThrow(); }

    private FederationModule federation(String domain) {
        return nodes.node(domain).node().module(FederationModule.class).orElseThrow();
    }

    /** The links of node {@code domain} with {@code peer}. */
    private List<LinkStatus> links(String domain, String peer) {
        return federation(domain).linkStatus().stream().filter(link -> peer.equals(link.peerDomain())).toList();
    }

    private PeerReport peer(String domain, String peer) {
        return admin(domain).peers().stream().filter(report -> report.domain().equals(peer)).findFirst().orElseThrow();
    }
}
