package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.federation.FederationModule;
import org.skerry.federation.admin.FederationAdmin;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.federation.link.LinkStatus.State;
import org.skerry.federation.queue.PeerStatus;
import org.skerry.interop.SmackClients;

/**
 * XEP-0288: the link one node opens to another carries the other's replies too, so two nodes that talk need one
 * connection, not two. a.test and b.test have federation.bidi on (the default), c.test has it off: with c.test
 * neither offering nor asking, its traffic takes one connection per direction as before.
 */
class BidirectionalLinkTest {
    static final List<String> DOMAINS = List.of("a.test", "b.test", "c.test");
    static FederatedNodes nodes;

    @BeforeAll
    static void start() {
        nodes = FederatedNodes.start(DOMAINS,
                domain -> domain.equals("c.test") ? List.of("federation.bidi=false") : List.of(),
                "federation.auth=\"dialback\"");
        for (String domain : DOMAINS) {
            nodes.node(domain).createUser("user", "secret-" + domain);
        }
    }

    @AfterAll
    static void stop() { nodes.close(); }

    @Test
    void theReplyTravelsBackOverTheLinkTheFirstMessageOpened() throws Exception {
        FederatedChatTest.chatBothWays(nodes, "a.test", "b.test");

        // a.test opened the only connection; b.test answered over it and opened none of its own. (A stanza is
        // counted right after it was handed to the router, which may be a moment after its recipient got it.)
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(links(nodes, "a.test", "b.test"))
                    .extracting(LinkStatus::direction, LinkStatus::state, LinkStatus::authMethod,
                            LinkStatus::streamManagement, LinkStatus::stanzasOut, LinkStatus::stanzasIn)
                    .containsExactly(tuple(Direction.BIDIRECTIONAL, State.READY, "dialback", true, 1L, 1L));
            assertThat(links(nodes, "b.test", "a.test"))
                    .extracting(LinkStatus::direction, LinkStatus::state, LinkStatus::authMethod,
                            LinkStatus::streamManagement, LinkStatus::stanzasOut, LinkStatus::stanzasIn)
                    .containsExactly(tuple(Direction.BIDIRECTIONAL, State.READY, "dialback", true, 1L, 1L));
        });
        // Each message left its sender's queue on the other's acknowledgement, the reply too, though it went over a
        // stream b.test did not open (well before the queue's 60 s wait for an <a/>).
        await().atMost(Duration.ofSeconds(10)).until(() -> queued(nodes, "a.test", "b.test") == 0
                && queued(nodes, "b.test", "a.test") == 0);
    }

    @Test
    void aReceivingNodeWithBidiOffDoesNotOfferItAndAnInitiatingOneDoesNotAskForIt() throws Exception {
        FederatedChatTest.chatBothWays(nodes, "a.test", "c.test"); // c.test receives first: no offer
        FederatedChatTest.chatBothWays(nodes, "c.test", "b.test"); // c.test sends first: no request

        assertThat(links(nodes, "a.test", "c.test")).extracting(LinkStatus::direction, LinkStatus::state)
                .containsExactlyInAnyOrder(tuple(Direction.OUTBOUND, State.READY), tuple(Direction.INBOUND, State.READY));
        assertThat(links(nodes, "b.test", "c.test")).extracting(LinkStatus::direction, LinkStatus::state)
                .containsExactlyInAnyOrder(tuple(Direction.OUTBOUND, State.READY), tuple(Direction.INBOUND, State.READY));
    }

    /** The peer's stanzas on our own link are paced by federation.peer_stanza_rate like those on its own links. */
    @Test
    void aPeerFloodingBackOverOurLinkIsSlowedDownButNothingIsLost() throws Exception {
        int rate = 20;
        int messages = 100;
        try (FederatedNodes paced = FederatedNodes.start(List.of("a.test", "b.test"),
                domain -> domain.equals("a.test")
                        ? List.of("federation.peer_stanza_rate=" + rate, "federation.peer_stanza_burst=" + rate)
                        : List.of(),
                "federation.auth=\"dialback\"")) {
            paced.node("a.test").createUser("sink", "sink-secret");
            paced.node("b.test").createUser("flood", "flood-secret");
            XMPPTCPConnection sink = SmackClients.login(paced.node("a.test"), "sink", "sink-secret", "in");
            List<String> bodies = new CopyOnWriteArrayList<>();
            sink.addSyncStanzaListener(s -> bodies.add(((Message) s).getBody()), s -> s instanceof Message);
            XMPPTCPConnection flood = SmackClients.login(paced.node("b.test"), "flood", "flood-secret", "out");
            List<String> atFlood = new CopyOnWriteArrayList<>();
            flood.addSyncStanzaListener(s -> atFlood.add(((Message) s).getBody()), s -> s instanceof Message);
            try {
                // a.test opens the link, so the flood comes back over it.
                sink.sendStanza(sink.getStanzaFactory().buildMessageStanza().to(JidCreate.from("flood@b.test/out"))
                        .ofType(Message.Type.chat).setBody("open").build());
                await().atMost(Duration.ofSeconds(20)).until(() -> atFlood.contains("open"));

                long start = System.nanoTime();
                for (int i = 0; i < messages; i++) {
                    flood.sendStanza(flood.getStanzaFactory().buildMessageStanza()
                            .to(JidCreate.from("sink@a.test/in")).ofType(Message.Type.chat)
                            .setBody("m" + i).build());
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> bodies.size() >= messages);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(bodies).hasSize(messages);
                for (int i = 0; i < messages; i++) {
                    assertThat(bodies.get(i)).isEqualTo("m" + i);
                }
                // A functional bound, not a benchmark: beyond the burst, 80 stanzas at 20/s cannot take under 3 s.
                assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(links(paced, "a.test", "b.test"))
                                .extracting(LinkStatus::direction, LinkStatus::stanzasIn)
                                .containsExactly(tuple(Direction.BIDIRECTIONAL, (long) messages)));
            } finally {
                flood.disconnect();
                sink.disconnect();
            }
        }
    }

    /**
     * An admin's block ends the one link for both directions: the blocked peer can neither send back over it nor
     * authenticate a link of its own, so its message bounces after its queue_max_age.
     */
    @Test
    void blockingThePeerAtRuntimeEndsTheLinkForBothDirections() throws Exception {
        try (FederatedNodes pair = FederatedNodes.start(List.of("a.test", "b.test"),
                domain -> domain.equals("b.test") ? List.of("federation.queue_max_age=\"3s\"") : List.of(),
                "federation.auth=\"dialback\"")) {
            pair.node("a.test").createUser("user", "secret-a.test");
            pair.node("a.test").createUser("other", "other-secret");
            pair.node("b.test").createUser("user", "secret-b.test");
            FederatedChatTest.chatBothWays(pair, "a.test", "b.test");
            assertThat(links(pair, "b.test", "a.test")).extracting(LinkStatus::direction)
                    .containsExactly(Direction.BIDIRECTIONAL);

            FederationAdmin admin = pair.node("a.test").node().module(FederationModule.class).orElseThrow().admin()
                    .orElseThrow();
            assertThat(admin.block("b.test").summary()).startsWith("Blocked b.test: closed 1 link;");
            await().atMost(Duration.ofSeconds(10)).until(() -> links(pair, "b.test", "a.test").stream()
                    .noneMatch(link -> link.state() == State.READY));

            // (Another recipient than the chat's, whose unacknowledged last message may come again from storage.)
            XMPPTCPConnection sender = SmackClients.login(pair.node("b.test"), "user", "secret-b.test", "again");
            XMPPTCPConnection recipient = SmackClients.login(pair.node("a.test"), "other", "other-secret", "phone");
            try {
                BlockingQueue<Message> atSender = SmackClients.messagesTo(sender);
                BlockingQueue<Message> atRecipient = SmackClients.messagesTo(recipient);
                SmackClients.send(sender, "other@a.test", "let me in");
                Message bounce = atSender.poll(30, TimeUnit.SECONDS);
                assertThat(bounce).as("bounce after queue_max_age").isNotNull();
                assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.remote_server_timeout);
                assertThat(atRecipient.poll(500, TimeUnit.MILLISECONDS)).as("delivered despite the block").isNull();
            } finally {
                sender.disconnect();
                recipient.disconnect();
            }
        }
    }

    /** Stanzas {@code domain}'s node holds for {@code peer}, sent or not: those not acknowledged yet. */
    static long queued(FederatedNodes nodes, String domain, String peer) {
        return nodes.node(domain).node().module(FederationModule.class).orElseThrow().queueStatus().stream()
                .filter(status -> status.domain().equals(peer)).mapToLong(PeerStatus::depth).sum();
    }

    /** The links of {@code domain}'s node with {@code peer}, open or ended. */
    static List<LinkStatus> links(FederatedNodes nodes, String domain, String peer) {
        return nodes.node(domain).node().module(FederationModule.class).orElseThrow().linkStatus().stream()
                .filter(link -> peer.equals(link.peerDomain()))
                .toList();
    }
}
