package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.federation.link.LinkStatus.State;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * A Skerry node and a real Prosody 0.12, both with certificates from one test CA that each trusts (Skerry through
 * federation.trust_anchors, Prosody through its cafile), federate with certificates only: Skerry with
 * federation.auth = "strict", Prosody with s2s_secure_auth = true. Messages cross both ways, and both of Skerry's
 * links authenticated with SASL EXTERNAL and use stream management (Prosody's mod_smacks). Runs only with
 * {@code -Dskerry.interop=true}.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class ProsodyCertificateFederationTest {
    static final String SKERRY_DOMAIN = "skerry-ca.test";
    static final String SKERRY_ADDRESS = "127.0.0.55";
    static final String PROSODY_DOMAIN = "prosody-ca.test";
    static final String PROSODY_ADDRESS = "127.0.0.54";

    static ProsodyPeer prosody;
    static TestNode skerry;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("skerry-ca");
        TestCertificateAuthority ca = TestCertificateAuthority.create("Skerry-Prosody test CA");
        prosody = ProsodyPeer.startWithCertificates(PROSODY_DOMAIN, PROSODY_ADDRESS,
                List.of(SKERRY_ADDRESS + " " + SKERRY_DOMAIN), ca, "bob", "bob-secret");
        TestCertificateAuthority.PemPair certificate = ca.issue(SKERRY_DOMAIN, dir);
        skerry = TestNode.startServing(SKERRY_DOMAIN,
                certificate.settings()[0], certificate.settings()[1],
                "federation.enabled=true",
                "federation.bind=\"" + SKERRY_ADDRESS + "\"",
                "federation.port=5269",
                "federation.direct_tls_port=0",
                "federation.auth=\"strict\"",
                "federation.trust_anchors=[\"" + ca.writeCertificate(dir) + "\"]",
                "federation.hosts." + PROSODY_DOMAIN + "=\"" + prosody.s2sAddress() + "\"");
        skerry.createUser("alice", "alice-secret");
    }

    @AfterAll
    static void stop() throws Exception {
        if (skerry != null) {
            skerry.close();
        }
        if (prosody != null) {
            prosody.close();
        }
    }

    @Test
    void messagesCrossBothWaysOverLinksAuthenticatedWithSaslExternal() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(skerry, "alice", "alice-secret", "phone");
        XMPPTCPConnection bob = prosody.login("bob", "bob-secret", "laptop");
        try {
            BlockingQueue<Stanza> atBob = new LinkedBlockingQueue<>();
            BlockingQueue<Stanza> atAlice = new LinkedBlockingQueue<>();
            bob.addAsyncStanzaListener(atBob::add, s -> s instanceof Message);
            alice.addAsyncStanzaListener(atAlice::add, s -> s instanceof Message);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@" + PROSODY_DOMAIN))
                    .ofType(Message.Type.chat).setBody("hello over EXTERNAL").build());
            Message received = (Message) atBob.poll(30, TimeUnit.SECONDS);
            assertThat(received).as("Skerry -> Prosody; Prosody log:\n%s", prosody.logTail()).isNotNull();
            assertThat(received.getBody()).isEqualTo("hello over EXTERNAL");

            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(received.getFrom())
                    .ofType(Message.Type.chat).setBody("hello back over EXTERNAL").build());
            Message reply = (Message) atAlice.poll(30, TimeUnit.SECONDS);
            assertThat(reply).as("Prosody -> Skerry; Prosody log:\n%s", prosody.logTail()).isNotNull();
            assertThat(reply.getBody()).isEqualTo("hello back over EXTERNAL");
            assertThat(reply.getFrom().toString()).isEqualTo("bob@" + PROSODY_DOMAIN + "/laptop");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }

        // Both ways, stream management was enabled after the SASL restart: Skerry's queue let go of its message
        // only once Prosody acknowledged it. Prosody flushes what it queued while connecting before its <enable/>,
        // so its reply may arrive just before Skerry's inbound side turns stream management on.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                skerry.node().module(FederationModule.class).orElseThrow().linkStatus())
                .extracting(LinkStatus::direction, LinkStatus::peerDomain, LinkStatus::state, LinkStatus::authMethod,
                        LinkStatus::streamManagement)
                .containsExactlyInAnyOrder(
                        tuple(Direction.OUTBOUND, PROSODY_DOMAIN, State.READY, "SASL EXTERNAL", true),
                        tuple(Direction.INBOUND, PROSODY_DOMAIN, State.READY, "SASL EXTERNAL", true)));
    }
}
