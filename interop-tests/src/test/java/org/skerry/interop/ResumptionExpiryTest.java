package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.server.xmpp.Jid;

/**
 * XEP-0198: when a dropped session is never resumed, the messages it never acknowledged are not lost: they go to
 * offline storage when the resumption timeout expires and arrive, once each, at the next login.
 */
class ResumptionExpiryTest {

    @Test
    void unacknowledgedMessagesOfAnExpiredSessionArriveAtTheNextLogin() throws Exception {
        try (TestNode node = TestNode.start("c2s.resumption_timeout=\"2s\"", "c2s.max_resumption_timeout=\"2s\"")) {
            node.createUser("xena", "xena-secret");
            node.createUser("yuri", "yuri-secret");
            XMPPTCPConnection xena = new XMPPTCPConnection(SmackClients.config(node, "xena", "xena-secret", "phone").build());
            xena.setUseStreamManagement(true);
            xena.setUseStreamManagementResumption(true);
            xena.connect().login();
            XMPPTCPConnection yuri = SmackClients.login(node, "yuri", "yuri-secret", "pc");
            try {
                assertThat(xena.isSmResumptionPossible()).isTrue();
                xena.instantShutdown(); // the socket dies; the session hibernates awaiting a resumption
                Jid xenaJid = new Jid("xena", TestNode.DOMAIN, "phone");
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    var session = node.node().sessions().session(xenaJid);
                    return session != null && session.isHibernating();
                });
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    sent.add("unacknowledged " + i);
                    yuri.sendStanza(yuri.getStanzaFactory().buildMessageStanza()
                            .to(JidCreate.entityFullFrom("xena@" + TestNode.DOMAIN + "/phone"))
                            .ofType(Message.Type.chat).setBody("unacknowledged " + i).build());
                }
                // The client never comes back within the timeout: the session ends for good.
                await().atMost(Duration.ofSeconds(15)).until(() -> node.node().sessions().session(xenaJid) == null);
                await().atMost(Duration.ofSeconds(10)).until(() -> node.node().storage().offline().count(TestNode.DOMAIN, "xena") == sent.size());

                XMPPTCPConnection xenaAgain = new XMPPTCPConnection(SmackClients.config(node, "xena", "xena-secret", "tablet").build());
                xenaAgain.setUseStreamManagement(false);
                List<Message> received = new CopyOnWriteArrayList<>();
                // Synchronous: Smack runs async listeners on a pool, in no particular order, and the order is under test.
                xenaAgain.addSyncStanzaListener(s -> received.add((Message) s),
                        s -> s instanceof Message && ((Message) s).getBody() != null);
                xenaAgain.connect().login();
                try {
                    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= sent.size());
                    Thread.sleep(500); // a duplicate would arrive right behind the originals
                    assertThat(received).extracting(Message::getBody).containsExactlyElementsOf(sent);
                    assertThat(received).allSatisfy(m -> assertThat(DelayInformation.from(m)).isNotNull());
                } finally {
                    xenaAgain.disconnect();
                }
            } finally {
                yuri.disconnect();
                xena.disconnect();
            }
        }
    }
}
