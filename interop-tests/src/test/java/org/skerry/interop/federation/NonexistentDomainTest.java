package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.LoopbackDnsServer;
import org.skerry.federation.queue.PeerStatus;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * With DNS look-ups on, a message to a domain that DNS says does not exist (NXDOMAIN for its SRV names and its own
 * name) bounces with remote-server-not-found within seconds, although queue_max_age is the default 72 h; a message to
 * a domain whose DNS servers do not answer stays queued, since that may pass. The node's only DNS server is the
 * test's, on 127.0.0.1.
 */
class NonexistentDomainTest {
    static LoopbackDnsServer dns;
    static TestNode node;
    XMPPTCPConnection alice;
    BlockingQueue<Message> atAlice;

    @BeforeAll
    static void start() throws Exception {
        dns = new LoopbackDnsServer().a("elsewhere.test", "127.0.0.1").silentFor("slow.test");
        node = TestNode.startServing("a.test", "federation.enabled=true", "federation.bind=\"127.0.0.1\"",
                "federation.port=" + TestNode.freePort(), "federation.direct_tls_port=0",
                "federation.dns=true", "federation.dns_servers=[\"127.0.0.1:" + dns.address().getPort() + "\"]");
        node.createUser("alice", "alice-secret");
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
        dns.close();
    }

    @BeforeEach
    void login() throws Exception {
        alice = SmackClients.login(node, "alice", "alice-secret", "phone");
        atAlice = new LinkedBlockingQueue<>();
        alice.addSyncStanzaListener(s -> atAlice.add((Message) s), s -> s instanceof Message);
    }

    @AfterEach
    void logout() { alice.disconnect(); }

    @Test
    void aMessageToADomainThatDoesNotExistBouncesAtOnce() throws Exception {
        send("someone@nowhere.test");

        Message bounce = atAlice.poll(10, TimeUnit.SECONDS);
        assertThat(bounce).as("bounce of the message to a domain DNS says does not exist").isNotNull();
        assertThat(bounce.getType()).isEqualTo(Message.Type.error);
        assertThat(bounce.getFrom().toString()).isEqualTo("someone@nowhere.test");
        assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.remote_server_not_found);
        assertThat(bounce.getError().getDescriptiveText()).contains("nowhere.test does not exist (NXDOMAIN)");
        assertThat(dns.asked()).extracting(q -> q.name.ace + " " + q.type).contains(
                "_xmpps-server._tcp.nowhere.test SRV", "_xmpp-server._tcp.nowhere.test SRV",
                "nowhere.test A", "nowhere.test AAAA");
        await().atMost(Duration.ofSeconds(10)).until(() -> status("nowhere.test").depth() == 0);
    }

    @Test
    void aMessageToADomainWhoseDnsDoesNotAnswerStaysQueued() throws Exception {
        send("someone@slow.test");

        // The look-up times out (10 s): a failure worth retrying, not a verdict on the domain.
        await().atMost(Duration.ofSeconds(30)).until(() -> status("slow.test").failedAttempts() >= 1);
        assertThat(atAlice.poll(500, TimeUnit.MILLISECONDS)).as("no bounce").isNull();
        assertThat(status("slow.test").depth()).isEqualTo(1);
        assertThat(status("slow.test").lastError()).contains("the DNS look-up timed out");
    }

    private void send(String to) throws Exception {
        alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from(to))
                .ofType(Message.Type.chat).setBody("anyone there?").build());
    }

    private static PeerStatus status(String domain) {
        return node.node().module(FederationModule.class).orElseThrow().queueStatus().stream()
                .filter(s -> s.domain().equals(domain)).findFirst()
                .orElse(new PeerStatus(domain, -1, 0, 0, null, null));
    }
}
