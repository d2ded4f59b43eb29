package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.federation.FederationModule;
import org.skerry.federation.queue.PeerStatus;
import org.skerry.interop.SmackClients;

/**
 * With federation.auth = "strict", a peer whose certificate is self-signed (not issued by a trusted CA) is refused:
 * the link fails with a reason that says so, the message stays in the durable queue and is retried, and after
 * federation.queue_max_age it bounces to its sender with remote-server-timeout. Nothing is delivered unproven.
 */
class UntrustedPeerCertificateTest {
    static FederatedNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("skerry-ca");
        TestCertificateAuthority ca = TestCertificateAuthority.create("Skerry test CA");
        TestCertificateAuthority.PemPair trusted = ca.issue("a.test", dir);
        // self.test sets no tls.certificate, so it presents the self-signed one it generates.
        nodes = FederatedNodes.start(List.of("a.test", "self.test"),
                domain -> domain.equals("a.test") ? List.of(trusted.settings()) : List.of(),
                "federation.auth=\"strict\"", "federation.trust_anchors=[\"" + ca.writeCertificate(dir) + "\"]",
                "federation.queue_max_age=\"4s\"");
        nodes.node("a.test").createUser("alice", "alice-secret");
        nodes.node("self.test").createUser("bob", "bob-secret");
    }

    @AfterAll
    static void stop() { nodes.close(); }

    @Test
    void aPeerWithAnUntrustedCertificateIsRefusedAndTheMessageWaitsThenBounces() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(nodes.node("a.test"), "alice", "alice-secret", "phone");
        XMPPTCPConnection bob = SmackClients.login(nodes.node("self.test"), "bob", "bob-secret", "laptop");
        try {
            BlockingQueue<Message> atAlice = new LinkedBlockingQueue<>();
            BlockingQueue<Message> atBob = new LinkedBlockingQueue<>();
            alice.addAsyncStanzaListener(s -> atAlice.add((Message) s), s -> s instanceof Message);
            bob.addAsyncStanzaListener(s -> atBob.add((Message) s), s -> s instanceof Message);
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@self.test"))
                    .ofType(Message.Type.chat).setBody("only for a proven peer").build());

            FederationModule federation = nodes.node("a.test").node().module(FederationModule.class).orElseThrow();
            PeerStatus queued = await().atMost(Duration.ofSeconds(3)).until(
                    () -> federation.queueStatus().stream().filter(p -> p.domain().equals("self.test")).findFirst()
                            .filter(p -> p.lastError() != null).orElse(null), p -> p != null);
            assertThat(queued.depth()).as("the message waits in the queue").isEqualTo(1);
            assertThat(queued.lastError()).contains("self.test", "the certificate is not trusted",
                    "federation.auth = \"strict\"");
            assertThat(atAlice).as("no bounce before queue_max_age").isEmpty();

            Message bounce = atAlice.poll(30, TimeUnit.SECONDS);
            assertThat(bounce).as("bounce after queue_max_age").isNotNull();
            assertThat(bounce.getType()).isEqualTo(Message.Type.error);
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.remote_server_timeout);
            assertThat(atBob.poll(1, TimeUnit.SECONDS)).as("nothing reached the unproven peer").isNull();
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }
}
