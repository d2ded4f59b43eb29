package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.federation.link.LinkStatus.State;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * A Skerry node and another server, both with certificates from one test CA that each trusts (Skerry through
 * federation.trust_anchors, the other server through its own CA setting), federate with certificates only: Skerry
 * with federation.auth = "strict", the other server requiring a valid certificate. Messages cross both ways, over
 * Skerry's link made bidirectional where the other server does XEP-0288, else over one link each way; every link
 * authenticated with SASL EXTERNAL, with stream management where the other server does it on s2s. Subclasses start
 * the other server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ForeignServerCertificateFederationTests {
    private final String skerryDomain;
    private final String skerryAddress;
    private final String peerName;
    private ForeignServer peer;
    private TestNode skerry;

    ForeignServerCertificateFederationTests(String skerryDomain, String skerryAddress, String peerName) {
        this.skerryDomain = skerryDomain;
        this.skerryAddress = skerryAddress;
        this.peerName = peerName;
    }

    /**
     * Starts the other server with the account bob (password bob-secret) and a certificate that {@code ca} issued,
     * trusting only {@code ca} and accepting peers only with a valid certificate; it resolves the Skerry domain through
     * {@code hostsLine} ("address domain").
     */
    abstract ForeignServer startPeer(String hostsLine, TestCertificateAuthority ca) throws Exception;

    /** Whether the other server enables XEP-0198 on both s2s links with Skerry. */
    abstract boolean linksUseStreamManagement();

    /** Whether the other server does XEP-0288 (offers it, and asks for it). */
    abstract boolean peerDoesBidi();

    /** Skerry's certificate: by default as public CAs issue them now, for serverAuth only. */
    TestCertificateAuthority.PemPair skerryCertificate(TestCertificateAuthority ca, String domain, Path dir)
            throws Exception {
        return ca.issue(domain, dir);
    }

    @BeforeAll
    void start() throws Exception {
        Path dir = Files.createTempDirectory("skerry-ca");
        TestCertificateAuthority ca = TestCertificateAuthority.create("Skerry-" + peerName + " test CA");
        peer = startPeer(skerryAddress + " " + skerryDomain, ca);
        skerry = startSkerry(skerryDomain, skerryAddress, ca, dir);
        skerry.createUser("alice", "alice-secret");
    }

    /** A Skerry node for {@code domain} on {@code address}, with a certificate {@code ca} issued, federating with the peer. */
    TestNode startSkerry(String domain, String address, TestCertificateAuthority ca, Path dir) throws Exception {
        TestCertificateAuthority.PemPair certificate = skerryCertificate(ca, domain, dir);
        return TestNode.startServing(domain,
                certificate.settings()[0], certificate.settings()[1],
                "federation.enabled=true",
                "federation.bind=\"" + address + "\"",
                "federation.port=5269",
                "federation.direct_tls_port=0",
                "federation.auth=\"strict\"",
                "federation.trust_anchors=[\"" + ca.writeCertificate(dir) + "\"]",
                "federation.hosts." + peer.domain() + "=\"" + peer.s2sAddress() + "\"");
    }

    ForeignServer peer() { return peer; }

    @AfterAll
    void stop() throws Exception {
        if (skerry != null) {
            skerry.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void messagesCrossBothWaysOverLinksAuthenticatedWithSaslExternal() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(skerry, "alice", "alice-secret", "phone");
        XMPPTCPConnection bob = peer.login("bob", "bob-secret", "laptop");
        try {
            BlockingQueue<Stanza> atBob = new LinkedBlockingQueue<>();
            BlockingQueue<Stanza> atAlice = new LinkedBlockingQueue<>();
            bob.addAsyncStanzaListener(atBob::add, s -> s instanceof Message);
            alice.addAsyncStanzaListener(atAlice::add, s -> s instanceof Message);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@" + peer.domain()))
                    .ofType(Message.Type.chat).setBody("hello over EXTERNAL").build());
            Message received = (Message) atBob.poll(30, TimeUnit.SECONDS);
            assertThat(received).as("Skerry -> %s; its log:\n%s", peerName, peer.logTail()).isNotNull();
            assertThat(received.getBody()).isEqualTo("hello over EXTERNAL");

            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(received.getFrom())
                    .ofType(Message.Type.chat).setBody("hello back over EXTERNAL").build());
            Message reply = (Message) atAlice.poll(30, TimeUnit.SECONDS);
            assertThat(reply).as("%s -> Skerry; its log:\n%s", peerName, peer.logTail()).isNotNull();
            assertThat(reply.getBody()).isEqualTo("hello back over EXTERNAL");
            assertThat(reply.getFrom().toString()).isEqualTo("bob@" + peer.domain() + "/laptop");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }

        assertLinks(skerry);
    }

    /**
     * {@code node}'s links with the peer: one bidirectional link where the peer does XEP-0288, else one each way.
     * Where stream management is on, Skerry's queue let go of its message only once the peer acknowledged it. A peer
     * flushes what it queued while connecting before its {@code <enable/>}, so its reply may arrive just before
     * Skerry's inbound side turns stream management on.
     */
    void assertLinks(TestNode node) {
        boolean streamManagement = linksUseStreamManagement();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var links = assertThat(node.node().module(FederationModule.class).orElseThrow().linkStatus())
                    .extracting(LinkStatus::direction, LinkStatus::peerDomain, LinkStatus::state,
                            LinkStatus::authMethod, LinkStatus::streamManagement);
            if (peerDoesBidi()) {
                links.containsExactly(
                        tuple(Direction.BIDIRECTIONAL, peer.domain(), State.READY, "SASL EXTERNAL", streamManagement));
            } else {
                links.containsExactlyInAnyOrder(
                        tuple(Direction.OUTBOUND, peer.domain(), State.READY, "SASL EXTERNAL", streamManagement),
                        tuple(Direction.INBOUND, peer.domain(), State.READY, "SASL EXTERNAL", streamManagement));
            }
        });
    }
}
