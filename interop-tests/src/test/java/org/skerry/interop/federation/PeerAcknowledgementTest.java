package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.federation.queue.PeerStatus;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/**
 * With stream management (XEP-0198) on a link, a stanza leaves the node's durable queue only when the peer
 * acknowledged it, not when it was written to the socket. Each test plays a receiving server by hand
 * ({@link RawS2sReceiver}) that takes the node's stanzas but holds back its {@code <a/>}, or refuses stream
 * management, which leaves the node acknowledging on write as with peers that do not offer it.
 */
class PeerAcknowledgementTest {
    static final RawS2sReceiver[] peers = new RawS2sReceiver[4];
    static TestNode node;
    static XMPPTCPConnection alice;

    @BeforeAll
    static void start() throws Exception {
        List<String> settings = new ArrayList<>(List.of("federation.enabled=true", "federation.bind=\"127.0.0.1\"",
                "federation.port=" + TestNode.freePort(), "federation.direct_tls_port=0",
                "federation.auth=\"dialback\"", "federation.retry_initial=\"200ms\"", "federation.retry_max=\"1s\""));
        for (int i = 0; i < peers.length; i++) {
            peers[i] = new RawS2sReceiver("raw" + i + ".test");
            settings.add(peers[i].hostsSetting());
        }
        node = TestNode.startServing("a.test", settings.toArray(new String[0]));
        node.createUser("alice", "alice-secret");
        alice = SmackClients.login(node, "alice", "alice-secret", "phone");
    }

    @AfterAll
    static void stop() throws Exception {
        if (alice != null) {
            alice.disconnect();
        }
        node.close();
        for (RawS2sReceiver peer : peers) {
            peer.close();
        }
    }

    @Test
    void aStanzaStaysQueuedUntilThePeerAcknowledgesIt() throws Exception {
        RawS2sReceiver peer = peers[0];
        send(peer, "are you there?");
        peer.accept();

        assertThat(peer.next().childText("body")).isEqualTo("are you there?");
        assertThat(peer.next().is("r", Namespaces.SM)).as("one <r/> after the batch").isTrue();
        assertThat(link(peer).streamManagement()).as("the link negotiated stream management").isTrue();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> queued(peer) == 1);

        peer.send("<a xmlns='" + Namespaces.SM + "' h='1'/>");
        await().atMost(Duration.ofSeconds(10)).until(() -> queued(peer) == 0);
    }

    @Test
    void stanzasAPeerDidNotAcknowledgeBeforeItWentAwayAreSentAgainOnTheNextLink() throws Exception {
        RawS2sReceiver peer = peers[1];
        send(peer, "first");
        peer.accept();
        Element first = peer.next();
        assertThat(first.childText("body")).isEqualTo("first");
        send(peer, "second");
        await().atMost(Duration.ofSeconds(10)).until(() -> queued(peer) == 2);
        peer.closeConnection();

        peer.accept();
        List<Element> resent = stanzasUntilRequest(peer);
        assertThat(resent).extracting(stanza -> stanza.childText("body")).containsExactly("first", "second");
        assertThat(stanzaId(resent.get(0))).as("the same stanza-id, so a receiver can drop the repeat")
                .isEqualTo(stanzaId(first));
        assertThat(queued(peer)).isEqualTo(2);

        peer.send("<a xmlns='" + Namespaces.SM + "' h='2'/>");
        await().atMost(Duration.ofSeconds(10)).until(() -> queued(peer) == 0);
    }

    @Test
    void aPeerThatAcknowledgesMoreThanItWasSentGetsAStreamErrorAndLosesNothing() throws Exception {
        RawS2sReceiver peer = peers[2];
        send(peer, "count carefully");
        peer.accept();
        assertThat(stanzasUntilRequest(peer)).hasSize(1);

        peer.send("<a xmlns='" + Namespaces.SM + "' h='5'/>");
        Element error = peer.awaitStreamErrorAndClose();
        assertThat(error).as("a stream error").isNotNull();
        assertThat(error.child("undefined-condition", Namespaces.STREAMS_ERROR)).isNotNull();
        Element tooHigh = error.child("handled-count-too-high", Namespaces.SM);
        assertThat(tooHigh).isNotNull();
        assertThat(tooHigh.attr("h")).isEqualTo("5");
        assertThat(tooHigh.attr("send-count")).isEqualTo("1");
        assertThat(queued(peer)).isEqualTo(1);

        peer.accept();
        assertThat(stanzasUntilRequest(peer)).extracting(stanza -> stanza.childText("body"))
                .containsExactly("count carefully");
        peer.send("<a xmlns='" + Namespaces.SM + "' h='1'/>");
        await().atMost(Duration.ofSeconds(10)).until(() -> queued(peer) == 0);
    }

    @Test
    void aPeerThatRefusesStreamManagementGetsStanzasThatLeaveTheQueueOnceWritten() throws Exception {
        RawS2sReceiver peer = peers[3];
        send(peer, "no acks here");
        peer.acceptRefusingStreamManagement();

        assertThat(peer.next().childText("body")).isEqualTo("no acks here");
        await().atMost(Duration.ofSeconds(10)).until(() -> queued(peer) == 0);
        assertThat(link(peer).streamManagement()).isFalse();
        send(peer, "still none");
        assertThat(peer.next().childText("body")).as("no <r/> in between").isEqualTo("still none");
    }

    private static void send(RawS2sReceiver peer, String body) throws Exception {
        alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@" + peer.domain()))
                .ofType(Message.Type.chat).setBody(body).build());
    }

    /** The stanzas the node sends up to its next {@code <r/>}. */
    private static List<Element> stanzasUntilRequest(RawS2sReceiver peer) throws Exception {
        List<Element> stanzas = new ArrayList<>();
        for (Element next = peer.next(); !next.is("r", Namespaces.SM); next = peer.next()) {
            stanzas.add(next);
        }
        return stanzas;
    }

    private static String stanzaId(Element stanza) {
        return stanza.child("stanza-id", "urn:xmpp:sid:0").attr("id");
    }

    private static long queued(RawS2sReceiver peer) {
        return federation().queueStatus().stream().filter(status -> status.domain().equals(peer.domain()))
                .mapToLong(PeerStatus::depth).sum();
    }

    private static LinkStatus link(RawS2sReceiver peer) {
        return federation().linkStatus().stream()
                .filter(link -> link.direction() == Direction.OUTBOUND && link.peerDomain().equals(peer.domain()))
                .findFirst().orElseThrow();
    }

    private static FederationModule federation() {
        return node.node().module(FederationModule.class).orElseThrow();
    }
}
