package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0160 offline storage has a per-user quota; a message over it bounces to its sender instead of vanishing. */
class OfflineQuotaTest {

    @Test
    void theMessageOverTheQuotaBouncesAndTheOthersAreDelivered() throws Exception {
        try (TestNode node = TestNode.start("offline.max_messages_per_user=2")) {
            node.createUser("vera", "vera-secret");
            node.createUser("walt", "walt-secret");
            XMPPTCPConnection walt = SmackClients.login(node, "walt", "walt-secret", "pc");
            try {
                BlockingQueue<Message> errors = new LinkedBlockingQueue<>();
                walt.addAsyncStanzaListener(s -> errors.add((Message) s),
                        s -> s instanceof Message && ((Message) s).getType() == Message.Type.error);
                for (int i = 1; i <= 3; i++) {
                    walt.sendStanza(StanzaBuilder.buildMessage("offline-" + i).to(JidCreate.bareFrom("vera@" + TestNode.DOMAIN))
                            .ofType(Message.Type.chat).setBody("message " + i).build());
                }
                Message bounce = errors.poll(10, TimeUnit.SECONDS);
                assertThat(bounce).isNotNull();
                assertThat(bounce.getStanzaId()).isEqualTo("offline-3");
                assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
                assertThat(bounce.getFrom().toString()).isEqualTo("vera@" + TestNode.DOMAIN);
            } finally {
                walt.disconnect();
            }

            XMPPTCPConnection vera = new XMPPTCPConnection(SmackClients.config(node, "vera", "vera-secret", "pc").build());
            List<String> bodies = new CopyOnWriteArrayList<>();
            // Synchronous: Smack runs async listeners on a pool, in no particular order, and the order is under test.
            vera.addSyncStanzaListener(s -> bodies.add(((Message) s).getBody()),
                    s -> s instanceof Message && ((Message) s).getBody() != null);
            vera.connect().login();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() >= 2);
                assertThat(bodies).containsExactly("message 1", "message 2");
            } finally {
                vera.disconnect();
            }
        }
    }
}
