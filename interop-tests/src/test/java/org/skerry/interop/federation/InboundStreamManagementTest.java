package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.interop.SmackClients;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/**
 * Stream management (XEP-0198) on a stream a peer opened to the node, with dialback: the features come before
 * authentication, so {@code <enable/>} is refused until a domain authenticated on the stream, and then 'h' counts
 * the peer's stanzas once routed. The test plays b.test with raw XML and b.test's own dialback secret, so that
 * a.test's check with the real b.test node succeeds.
 */
class InboundStreamManagementTest {
    static FederatedNodes nodes;

    @BeforeAll
    static void start() {
        nodes = FederatedNodes.start(List.of("a.test", "b.test"), "federation.auth=\"dialback\"");
        nodes.node("a.test").createUser("alice", "alice-secret");
    }

    @AfterAll
    static void stop() { nodes.close(); }

    @Test
    void enableBeforeDialbackIsRefusedWithUnexpectedRequest() throws Exception {
        try (RawS2sPeer peer = new RawS2sPeer(nodes.node("a.test"), nodes.s2sPort("a.test"))) {
            peer.openStream("b.test");
            Element features = peer.startTls("b.test");
            assertThat(features.child("sm", Namespaces.SM)).as("offered with the dialback features").isNotNull();

            peer.send("<enable xmlns='" + Namespaces.SM + "'/>");
            Element failed = peer.next();
            assertThat(failed.is("failed", Namespaces.SM)).as("answer %s", failed).isTrue();
            assertThat(failed.child("unexpected-request", Namespaces.STANZAS_ERROR)).isNotNull();
        }
    }

    @Test
    void afterDialbackEachRequestIsAnsweredWithTheStanzasRoutedRepeatsIncluded() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(nodes.node("a.test"), "alice", "alice-secret", "phone");
        BlockingQueue<Message> atAlice = new LinkedBlockingQueue<>();
        alice.addAsyncStanzaListener(s -> atAlice.add((Message) s), s -> s instanceof Message);
        try (RawS2sPeer peer = new RawS2sPeer(nodes.node("a.test"), nodes.s2sPort("a.test"))) {
            peer.openStream("b.test");
            peer.startTls("b.test");
            peer.send("<db:result from='b.test' to='a.test'>"
                    + NodeDialbackKeys.of(nodes.node("b.test"), "a.test", "b.test", peer.streamId()) + "</db:result>");
            assertThat(peer.next().attr("type")).isEqualTo("valid");

            peer.send("<enable xmlns='" + Namespaces.SM + "'/>");
            assertThat(peer.next().is("enabled", Namespaces.SM)).isTrue();
            // The id in the ordered form a Skerry queue stamps (run.sequence.nonce).
            String message = "<message from='bob@b.test/x' to='alice@a.test' type='chat'><body>once</body>"
                    + "<stanza-id xmlns='urn:xmpp:sid:0' by='b.test' id='b1run.1.n0nce'/></message>";
            peer.send(message + message + "<r xmlns='" + Namespaces.SM + "'/>");
            Element answer = peer.next();
            assertThat(answer.is("a", Namespaces.SM)).as("answer %s", answer).isTrue();
            assertThat(answer.attr("h")).as("the repeat dropped by its stanza-id counts as handled").isEqualTo("2");

            Message delivered = atAlice.poll(10, TimeUnit.SECONDS);
            assertThat(delivered).isNotNull();
            assertThat(delivered.getBody()).isEqualTo("once");
            assertThat(atAlice.poll(1, TimeUnit.SECONDS)).as("the repeat is not delivered").isNull();
            assertThat(nodes.node("a.test").node().module(FederationModule.class).orElseThrow().linkStatus())
                    .filteredOn(link -> link.direction() == Direction.INBOUND && "b.test".equals(link.peerDomain())
                            && link.authMethod() != null)
                    .extracting(LinkStatus::streamManagement).containsExactly(true);
        } finally {
            alice.disconnect();
        }
    }
}
