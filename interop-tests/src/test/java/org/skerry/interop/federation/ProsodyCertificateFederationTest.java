package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * A Skerry node and a real Prosody 0.12 federate with certificates only ({@link ForeignServerCertificateFederationTests}):
 * Prosody trusts the test CA through its cafile and requires valid certificates with s2s_secure_auth = true. Links
 * use stream management (Prosody's mod_smacks) and XEP-0288 (its mod_s2s_bidi). There, Skerry opens the link; a
 * second Skerry node is written to first, so that Prosody opens it and Skerry replies over Prosody's stream.
 * Runs only with {@code -Dskerry.interop=true}.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class ProsodyCertificateFederationTest extends ForeignServerCertificateFederationTests {
    private static final String SECOND_SKERRY_DOMAIN = "skerry-ca2.test";
    private static final String SECOND_SKERRY_ADDRESS = "127.0.0.56";

    private TestCertificateAuthority ca;
    private TestNode secondSkerry;

    ProsodyCertificateFederationTest() { super("skerry-ca.test", "127.0.0.55", "Prosody"); }

    @Override
    ForeignServer startPeer(String hostsLine, TestCertificateAuthority ca) throws Exception {
        this.ca = ca;
        return ProsodyPeer.startWithCertificates("prosody-ca.test", "127.0.0.54",
                List.of(hostsLine, SECOND_SKERRY_ADDRESS + " " + SECOND_SKERRY_DOMAIN), ca, "bob", "bob-secret");
    }

    /** Prosody offers and enables XEP-0198 on s2s streams that authenticated with SASL EXTERNAL. */
    @Override
    boolean linksUseStreamManagement() { return true; }

    @Override
    boolean peerDoesBidi() { return true; }

    @BeforeAll
    void startSecondSkerry() throws Exception {
        secondSkerry = startSkerry(SECOND_SKERRY_DOMAIN, SECOND_SKERRY_ADDRESS, ca, Files.createTempDirectory("skerry-ca2"));
        secondSkerry.createUser("erin", "erin-secret");
    }

    @AfterAll
    void stopSecondSkerry() {
        if (secondSkerry != null) {
            secondSkerry.close();
        }
    }

    @Test
    void skerryRepliesOverTheStreamProsodyOpened() throws Exception {
        XMPPTCPConnection erin = SmackClients.login(secondSkerry, "erin", "erin-secret", "phone");
        XMPPTCPConnection bob = peer().login("bob", "bob-secret", "tablet");
        try {
            BlockingQueue<Stanza> atErin = new LinkedBlockingQueue<>();
            BlockingQueue<Stanza> atBob = new LinkedBlockingQueue<>();
            erin.addAsyncStanzaListener(atErin::add, s -> s instanceof Message);
            bob.addAsyncStanzaListener(atBob::add, s -> s instanceof Message);

            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(erin.getUser().asBareJid())
                    .ofType(Message.Type.chat).setBody("Prosody first").build());
            Message received = (Message) atErin.poll(30, TimeUnit.SECONDS);
            assertThat(received).as("Prosody -> Skerry; its log:\n%s", peer().logTail()).isNotNull();
            assertThat(received.getBody()).isEqualTo("Prosody first");

            erin.sendStanza(erin.getStanzaFactory().buildMessageStanza().to(received.getFrom())
                    .ofType(Message.Type.chat).setBody("Skerry back").build());
            Message reply = (Message) atBob.poll(30, TimeUnit.SECONDS);
            assertThat(reply).as("Skerry -> Prosody; its log:\n%s", peer().logTail()).isNotNull();
            assertThat(reply.getBody()).isEqualTo("Skerry back");
            assertThat(reply.getFrom().toString()).isEqualTo(erin.getUser().toString());
        } finally {
            erin.disconnect();
            bob.disconnect();
        }
        assertLinks(secondSkerry);
    }
}
