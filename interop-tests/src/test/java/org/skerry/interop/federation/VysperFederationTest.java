package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;
import org.skerry.interop.federation.vysper.LinkLog;
import org.skerry.interop.federation.vysper.VysperPeer;
import org.skerry.interop.federation.vysper.VysperTranscript;

/**
 * Skerry federates with Apache Vysper 0.7, an independent server in the same JVM, by dialback: Vysper's
 * certificate is self-signed, so Skerry runs with {@code federation.auth = "dialback"}.
 *
 * <p>Vysper to Skerry works end to end: Vysper starts TLS, sends {@code <db:result/>}, Skerry verifies the key by
 * connecting back to Vysper over STARTTLS, and the message is delivered. Skerry to Vysper works too, though Vysper
 * verifies Skerry's key on a new stream that writes {@code <db:verify/>} as soon as the stream header arrives,
 * ignoring the {@code <starttls><required/></starttls>} feature: Skerry answers a verification request in the clear
 * and accepts nothing else on a stream without TLS (see PlaintextVerifyOnlyTest).
 */
class VysperFederationTest {
    static final String SKERRY = "skerry.test";
    static final String VYSPER = "vysper.test";
    static TestNode skerry;
    static VysperPeer vysper;

    @BeforeAll
    static void start() {
        // Vysper passes Skerry's XEP-0359 stanza-id on to its client; Smack needs a parser for it.
        SkerryStanzaIdProvider.register();
        int skerryS2sPort = TestNode.freePort();
        vysper = VysperPeer.start(VYSPER, Map.of(SKERRY, skerryS2sPort));
        skerry = TestNode.startServing(SKERRY,
                "federation.enabled=true",
                "federation.bind=\"127.0.0.1\"",
                "federation.port=" + skerryS2sPort,
                "federation.direct_tls_port=0",
                "federation.auth=\"dialback\"",
                "federation.hosts." + VYSPER + "=127.0.0.1:" + vysper.s2sPort());
        skerry.createUser("alice", "secret-alice");
        vysper.createUser("bob", "secret-bob");
    }

    @AfterAll
    static void stop() {
        if (skerry != null) {
            skerry.close();
        }
        if (vysper != null) {
            vysper.close();
        }
    }

    @Test
    void vysperUserReachesSkerryUserOverDialback() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(skerry, "alice", "secret-alice", "phone");
        XMPPTCPConnection bob = vysper.login("bob", "secret-bob", "laptop");
        try (VysperTranscript vysperWire = VysperTranscript.record(); LinkLog links = LinkLog.record()) {
            BlockingQueue<Stanza> atAlice = new LinkedBlockingQueue<>();
            alice.addAsyncStanzaListener(atAlice::add, s -> s instanceof Message);
            BlockingQueue<Stanza> atBob = new LinkedBlockingQueue<>();
            bob.addAsyncStanzaListener(atBob::add, s -> true);

            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(JidCreate.from("alice@" + SKERRY))
                    .ofType(Message.Type.chat).setBody("hello from vysper").build());

            Message received = (Message) atAlice.poll(30, TimeUnit.SECONDS);
            assertThat(received).as(() -> "message " + VYSPER + " -> " + SKERRY + "; bob got " + atBob
                    + "\nVysper's wire:\n" + vysperWire + "\nlinks:\n" + links).isNotNull();
            assertThat(received.getBody()).isEqualTo("hello from vysper");
            // Vysper 0.7 ignores the requested resource and binds a random one.
            assertThat(received.getFrom().toString()).isEqualTo(bob.getUser().toString());
            assertThat(vysperWire.received()).as("Skerry's dialback verdict on Vysper's stream")
                    .anyMatch(xml -> xml.startsWith("<db:result") && xml.contains("type=\"valid\"")
                            && xml.contains("from=\"" + SKERRY + "\""));
        } finally {
            alice.disconnect();
            // Vysper never answers </stream:stream>; a polite disconnect would wait out the reply timeout.
            bob.instantShutdown();
        }
    }

    /**
     * Skerry to Vysper: Vysper verifies Skerry's key on a new stream to Skerry before any TLS; Skerry answers that
     * verification-only request in the clear (and nothing else on such a stream), Vysper accepts Skerry's stream,
     * and the message is delivered.
     */
    @Test
    void skerryUserReachesVysperUserOverDialback() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(skerry, "alice", "secret-alice", "phone");
        XMPPTCPConnection bob = vysper.login("bob", "secret-bob", "laptop");
        try (VysperTranscript vysperWire = VysperTranscript.record(); LinkLog links = LinkLog.record()) {
            BlockingQueue<Stanza> atBob = new LinkedBlockingQueue<>();
            bob.addAsyncStanzaListener(atBob::add, s -> s instanceof Message);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@" + VYSPER))
                    .ofType(Message.Type.chat).setBody("hello from skerry").build());

            Message received = (Message) atBob.poll(30, TimeUnit.SECONDS);
            assertThat(received).as(() -> "message " + SKERRY + " -> " + VYSPER + "\nVysper's wire:\n" + vysperWire
                    + "\nlinks:\n" + links).isNotNull();
            assertThat(received.getBody()).isEqualTo("hello from skerry");
            assertThat(received.getFrom().asBareJid().toString()).isEqualTo("alice@" + SKERRY);
            assertThat(vysperWire.sent()).as("Vysper's dialback verification of Skerry's key")
                    .anyMatch(xml -> xml.startsWith("<db:verify") && !xml.contains("type=")
                            && xml.contains("to=\"" + SKERRY + "\""));
            assertThat(vysperWire.received()).as("Skerry's answer to it")
                    .anyMatch(xml -> xml.startsWith("<db:verify") && xml.contains("type=\"valid\""));
        } finally {
            alice.disconnect();
            // Vysper never answers </stream:stream>; a polite disconnect would wait out the reply timeout.
            bob.instantShutdown();
        }
    }
}
