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
import org.skerry.interop.SmackClients;
import org.skerry.server.xml.Element;

/**
 * A peer may only send stanzas from the domains it authenticated on its stream. The test plays a peer server with
 * raw XML against node a.test; for a successful dialback it plays b.test with b.test's own dialback secret, so
 * that a.test's check with the real b.test node succeeds.
 */
class ForgedFromTest {
    static FederatedNodes nodes;

    @BeforeAll
    static void start() {
        nodes = FederatedNodes.start(List.of("a.test", "b.test"), "federation.auth=\"dialback\"");
        nodes.node("a.test").createUser("alice", "alice-secret");
    }

    @AfterAll
    static void stop() { nodes.close(); }

    @Test
    void aStanzaOnAStreamThatNeverAuthenticatedEndsItWithNotAuthorized() throws Exception {
        try (RawS2sPeer peer = new RawS2sPeer(nodes.node("a.test"), nodes.s2sPort("a.test"))) {
            peer.openStream("b.test");
            peer.startTls("b.test");
            peer.send("<message from='bob@b.test' to='alice@a.test'><body>unauthenticated</body></message>");
            assertThat(peer.awaitStreamErrorAndClose()).isEqualTo("not-authorized");
        }
    }

    @Test
    void aStanzaBeforeTlsEndsTheStreamWithNotAuthorized() throws Exception {
        try (RawS2sPeer peer = new RawS2sPeer(nodes.node("a.test"), nodes.s2sPort("a.test"))) {
            Element features = peer.openStream("b.test");
            assertThat(features.child("starttls", "urn:ietf:params:xml:ns:xmpp-tls")).isNotNull();
            peer.send("<message from='bob@b.test' to='alice@a.test'><body>in the clear</body></message>");
            assertThat(peer.awaitStreamErrorAndClose()).isEqualTo("not-authorized");
        }
    }

    @Test
    void aWrongDialbackKeyIsRefused() throws Exception {
        try (RawS2sPeer peer = new RawS2sPeer(nodes.node("a.test"), nodes.s2sPort("a.test"))) {
            peer.openStream("b.test");
            peer.startTls("b.test");
            peer.send("<db:result from='b.test' to='a.test'>" + "0".repeat(64) + "</db:result>");
            Element verdict = peer.next();
            assertThat(verdict.name()).isEqualTo("result");
            assertThat(verdict.attr("type")).isEqualTo("invalid");
            peer.send("<message from='bob@b.test' to='alice@a.test'><body>after a bad key</body></message>");
            assertThat(peer.awaitStreamErrorAndClose()).isEqualTo("not-authorized");
        }
    }

    @Test
    void aFromDomainThatDidNotAuthenticateOnTheStreamIsRefusedWithInvalidFrom() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(nodes.node("a.test"), "alice", "alice-secret", "phone");
        BlockingQueue<Message> atAlice = new LinkedBlockingQueue<>();
        alice.addAsyncStanzaListener(s -> atAlice.add((Message) s), s -> s instanceof Message);
        try (RawS2sPeer peer = new RawS2sPeer(nodes.node("a.test"), nodes.s2sPort("a.test"))) {
            peer.openStream("b.test");
            Element features = peer.startTls("b.test");
            assertThat(features.child("dialback", "urn:xmpp:features:dialback")).isNotNull();
            peer.send("<db:result from='b.test' to='a.test'>"
                    + NodeDialbackKeys.of(nodes.node("b.test"), "a.test", "b.test", peer.streamId()) + "</db:result>");
            Element verdict = peer.next();
            assertThat(verdict.attr("type")).as("dialback verdict %s", verdict).isEqualTo("valid");

            peer.send("<message from='bob@b.test/x' to='alice@a.test' type='chat'><body>genuine</body></message>");
            Message genuine = atAlice.poll(10, TimeUnit.SECONDS);
            assertThat(genuine).isNotNull();
            assertThat(genuine.getBody()).isEqualTo("genuine");

            peer.send("<message from='mallory@c.test/x' to='alice@a.test' type='chat'><body>forged</body></message>");
            assertThat(peer.awaitStreamErrorAndClose()).isEqualTo("invalid-from");
            assertThat(atAlice.poll(1, TimeUnit.SECONDS)).as("the forged message must not be routed").isNull();
        } finally {
            alice.disconnect();
        }
    }
}
