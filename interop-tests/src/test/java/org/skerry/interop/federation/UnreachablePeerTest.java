package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * A message to a peer that is down waits in the durable queue and bounces with remote-server-timeout only after
 * federation.queue_max_age; one to a domain with no known server bounces at once with remote-server-not-found.
 */
class UnreachablePeerTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        // down.test is mapped to a port nobody listens on; unknown.test is not mapped at all (and there is no DNS).
        node = TestNode.startServing("a.test", "federation.enabled=true", "federation.bind=\"127.0.0.1\"",
                "federation.port=" + TestNode.freePort(), "federation.direct_tls_port=0",
                "federation.auth=\"dialback\"", "federation.queue_max_age=\"3s\"",
                "federation.hosts.down.test=127.0.0.1:" + TestNode.freePort());
        node.createUser("alice", "alice-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void aMessageToAPeerThatIsDownWaitsThenBouncesAfterTheMaximumAge() throws Exception {
        assertBounces("someone@down.test", StanzaError.Condition.remote_server_timeout, true);
    }

    @Test
    void aMessageToADomainWithNoKnownServerBouncesAtOnce() throws Exception {
        assertBounces("someone@unknown.test", StanzaError.Condition.remote_server_not_found, false);
    }

    private static void assertBounces(String to, StanzaError.Condition condition, boolean queuedFirst) throws Exception {
        XMPPTCPConnection alice = SmackClients.login(node, "alice", "alice-secret", "phone");
        try {
            BlockingQueue<Message> atAlice = new LinkedBlockingQueue<>();
            alice.addSyncStanzaListener(s -> atAlice.add((Message) s), s -> s instanceof Message);
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from(to))
                    .ofType(Message.Type.chat).setBody("anyone there?").build());
            if (queuedFirst) {
                assertThat(atAlice.poll(1500, TimeUnit.MILLISECONDS)).as("still queued, not bounced yet").isNull();
            }
            Message bounce = atAlice.poll(30, TimeUnit.SECONDS);
            assertThat(bounce).as("bounce of the message to %s", to).isNotNull();
            assertThat(bounce.getType()).isEqualTo(Message.Type.error);
            assertThat(bounce.getFrom().toString()).isEqualTo(to);
            assertThat(bounce.getError().getCondition()).isEqualTo(condition);
        } finally {
            alice.disconnect();
        }
    }
}
