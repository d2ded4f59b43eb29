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

/** A message to a domain that cannot be reached comes back to its sender with remote-server-not-found. */
class UnreachablePeerTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        // down.test is mapped to a port nobody listens on; unknown.test is not mapped at all (and there is no DNS).
        node = TestNode.startServing("a.test", "federation.enabled=true", "federation.bind=\"127.0.0.1\"",
                "federation.port=" + TestNode.freePort(), "federation.direct_tls_port=0",
                "federation.auth=\"dialback\"", "federation.hosts.down.test=127.0.0.1:" + TestNode.freePort());
        node.createUser("alice", "alice-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void aMessageToAPeerThatIsDownBounces() throws Exception {
        assertBounces("someone@down.test");
    }

    @Test
    void aMessageToADomainWithNoKnownServerBounces() throws Exception {
        assertBounces("someone@unknown.test");
    }

    private static void assertBounces(String to) throws Exception {
        XMPPTCPConnection alice = SmackClients.login(node, "alice", "alice-secret", "phone");
        try {
            BlockingQueue<Message> atAlice = new LinkedBlockingQueue<>();
            alice.addAsyncStanzaListener(s -> atAlice.add((Message) s), s -> s instanceof Message);
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from(to))
                    .ofType(Message.Type.chat).setBody("anyone there?").build());
            Message bounce = atAlice.poll(20, TimeUnit.SECONDS);
            assertThat(bounce).as("bounce of the message to %s", to).isNotNull();
            assertThat(bounce.getType()).isEqualTo(Message.Type.error);
            assertThat(bounce.getFrom().toString()).isEqualTo(to);
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.remote_server_not_found);
        } finally {
            alice.disconnect();
        }
    }
}
