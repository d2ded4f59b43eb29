package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.interop.SmackClients;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/**
 * XEP-0288 against a peer played with raw XML, on both sides of a stream: a peer that opens a stream to a.test and
 * asks for bidi gets a.test's stanzas for it over that stream, and a peer that a.test connects to gets asked for
 * bidi and may send back over a.test's link. Either way a stanza from a domain that did not authenticate for that
 * direction ends the stream with invalid-from and is not routed. The peers play b.test (with b.test's real dialback
 * secret, so that a.test's check with the real node succeeds) and d.test / e.test (servers a.test connects to, which
 * just declare a.test's dialback key valid). Stream management, on either kind of stream, covers both directions.
 */
class BidirectionalRawPeerTest {
    static FederatedNodes nodes;
    static RawS2sReceiver d;
    static RawS2sReceiver e;

    @BeforeAll
    static void start() throws Exception {
        d = new RawS2sReceiver("d.test");
        e = new RawS2sReceiver("e.test");
        nodes = FederatedNodes.start(List.of("a.test", "b.test"), "federation.auth=\"dialback\"", d.hostsSetting(),
                e.hostsSetting());
        nodes.node("a.test").createUser("alice", "alice-secret");
    }

    @AfterAll
    static void stop() throws Exception {
        nodes.close();
        d.close();
        e.close();
    }

    @Test
    void aPeerThatAskedForBidiGetsOurStanzasOnItsStreamButMayStillOnlySendFromItsOwnDomain() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(nodes.node("a.test"), "alice", "alice-secret", "phone");
        BlockingQueue<Message> atAlice = new LinkedBlockingQueue<>();
        alice.addAsyncStanzaListener(s -> atAlice.add((Message) s), s -> s instanceof Message);
        try (RawS2sPeer peer = new RawS2sPeer(nodes.node("a.test"), nodes.s2sPort("a.test"))) {
            Element plain = peer.openStream("b.test");
            assertThat(plain.child("bidi", "urn:xmpp:features:bidi")).as("offered only after TLS").isNull();
            Element features = peer.startTls("b.test");
            assertThat(features.child("bidi", "urn:xmpp:features:bidi")).isNotNull();
            peer.send("<bidi xmlns='urn:xmpp:bidi'/><db:result from='b.test' to='a.test'>"
                    + NodeDialbackKeys.of(nodes.node("b.test"), "a.test", "b.test", peer.streamId()) + "</db:result>");
            assertThat(peer.next().attr("type")).isEqualTo("valid");
            peer.send("<enable xmlns='" + Namespaces.SM + "'/>");
            assertThat(peer.next().is("enabled", Namespaces.SM)).isTrue();

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@b.test"))
                    .ofType(Message.Type.chat).setBody("over your stream").build());
            Element message = peer.next();
            assertThat(message.name()).isEqualTo("message");
            assertThat(message.attr("from")).isEqualTo("alice@a.test/phone");
            assertThat(message.attr("to")).isEqualTo("bob@b.test");
            assertThat(links("b.test")).singleElement().satisfies(link -> {
                assertThat(link.direction()).isEqualTo(Direction.BIDIRECTIONAL);
                assertThat(link.stanzasOut()).isEqualTo(1);
            });
            // Stream management, which the peer enabled, covers our stanzas too: the message stays queued until
            // the peer's <a/> covers it.
            assertThat(peer.next().is("r", Namespaces.SM)).isTrue();
            assertThat(queued("b.test")).isEqualTo(1);
            peer.send("<a xmlns='" + Namespaces.SM + "' h='1'/>");
            await().atMost(Duration.ofSeconds(10)).until(() -> queued("b.test") == 0);

            peer.send("<message from='bob@b.test/x' to='alice@a.test' type='chat'><body>genuine</body></message>"
                    + "<r xmlns='" + Namespaces.SM + "'/>");
            assertThat(atAlice.poll(10, TimeUnit.SECONDS)).extracting(Message::getBody).isEqualTo("genuine");
            assertThat(peer.next().attr("h")).isEqualTo("1");
            peer.send("<message from='mallory@c.test/x' to='alice@a.test' type='chat'><body>forged</body></message>");
            assertThat(peer.awaitStreamErrorAndClose()).isEqualTo("invalid-from");
            assertThat(atAlice.poll(1, TimeUnit.SECONDS)).as("the forged message must not be routed").isNull();
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aPeerWeAskedForBidiMaySendBackOnlyFromTheDomainWeConnectedTo() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(nodes.node("a.test"), "alice", "alice-secret", "laptop");
        BlockingQueue<Message> atAlice = new LinkedBlockingQueue<>();
        alice.addAsyncStanzaListener(s -> atAlice.add((Message) s), s -> s instanceof Message);
        try {
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("dave@d.test"))
                    .ofType(Message.Type.chat).setBody("hello d").build());
            Element key = d.acceptOfferingBidi();
            assertThat(key.attr("from")).isEqualTo("a.test");
            d.validate(key, true);
            Element message = d.next();
            assertThat(message.attr("from")).isEqualTo("alice@a.test/laptop");
            assertThat(message.attr("to")).isEqualTo("dave@d.test");
            assertThat(d.next().is("r", Namespaces.SM)).isTrue();
            d.send("<a xmlns='" + Namespaces.SM + "' h='1'/>");
            await().atMost(Duration.ofSeconds(10)).until(() -> queued("d.test") == 0);

            // The peer may not start dialback for its other domains on our link: a dialback error says so.
            d.send("<db:result from='conference.d.test' to='a.test'>" + "0".repeat(64) + "</db:result>");
            Element refused = d.next();
            assertThat(refused.attr("type")).isEqualTo("error");
            assertThat(refused.attr("from")).isEqualTo("a.test");
            assertThat(refused.attr("to")).isEqualTo("conference.d.test");

            // What the peer sends back counts as the inbound half of the link's stream management.
            d.send("<message from='dave@d.test/x' to='alice@a.test/laptop' type='chat'><body>back</body></message>"
                    + "<r xmlns='" + Namespaces.SM + "'/>");
            assertThat(atAlice.poll(10, TimeUnit.SECONDS)).extracting(Message::getBody).isEqualTo("back");
            Element answer = d.next();
            assertThat(answer.is("a", Namespaces.SM)).as("answer %s", answer).isTrue();
            assertThat(answer.attr("h")).isEqualTo("1");
            // Counted right after it was handed to the router, which may be a moment after alice got it.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(links("d.test")).singleElement().satisfies(link -> {
                        assertThat(link.direction()).isEqualTo(Direction.BIDIRECTIONAL);
                        assertThat(link.stanzasIn()).isEqualTo(1);
                        assertThat(link.stanzasOut()).isEqualTo(1);
                    }));

            d.send("<message from='mallory@c.test/x' to='alice@a.test' type='chat'><body>forged</body></message>");
            assertThat(condition(d.awaitStreamErrorAndClose())).isEqualTo("invalid-from");
            assertThat(atAlice.poll(1, TimeUnit.SECONDS)).as("the forged message must not be routed").isNull();
            assertThat(links("d.test")).singleElement().satisfies(link ->
                    assertThat(link.lastError()).contains("invalid-from"));
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void aPeerWeAskedForBidiMayNotSendBeforeWeAuthenticated() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(nodes.node("a.test"), "alice", "alice-secret", "tablet");
        BlockingQueue<Message> atAlice = new LinkedBlockingQueue<>();
        alice.addAsyncStanzaListener(s -> atAlice.add((Message) s), s -> s instanceof Message);
        try {
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("erin@e.test"))
                    .ofType(Message.Type.chat).setBody("hello e").build());
            e.acceptOfferingBidi();
            e.send("<message from='erin@e.test/x' to='alice@a.test' type='chat'><body>early</body></message>");
            assertThat(condition(e.awaitStreamErrorAndClose())).isEqualTo("not-authorized");
            assertThat(atAlice.poll(1, TimeUnit.SECONDS)).as("an early message must not be routed").isNull();
        } finally {
            alice.disconnect();
        }
    }

    /** The condition of a stream error, or null. */
    private static String condition(Element streamError) {
        if (streamError == null) {
            return null;
        }
        return streamError.elements().stream().filter(c -> Namespaces.STREAMS_ERROR.equals(c.namespace())
                && !c.name().equals("text")).map(Element::name).findFirst().orElse(null);
    }

    private static long queued(String peer) { return BidirectionalLinkTest.queued(nodes, "a.test", peer); }

    private static List<LinkStatus> links(String peer) {
        return BidirectionalLinkTest.links(nodes, "a.test", peer);
    }
}
