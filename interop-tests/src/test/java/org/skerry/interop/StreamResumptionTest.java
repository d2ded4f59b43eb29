package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.server.xmpp.Jid;

/**
 * XEP-0198: the socket is cut under a client; messages sent to it meanwhile wait in its hibernating session and
 * arrive when it resumes; none is lost or doubled.
 */
class StreamResumptionTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        node.createUser("mobile", "mobile-secret");
        node.createUser("friend", "friend-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void resumesAfterSocketCutWithoutLosingMessages() throws Exception {
        XMPPTCPConnection.setUseStreamManagementDefault(true);
        XMPPTCPConnection.setUseStreamManagementResumptionDefault(true);
        XMPPTCPConnection mobile = new XMPPTCPConnection(SmackClients.config(node, "mobile", "mobile-secret", "phone").build());
        List<String> bodies = new CopyOnWriteArrayList<>();
        // Synchronous: Smack runs async listeners on a pool, in no particular order, and the order is under test.
        mobile.addSyncStanzaListener(s -> bodies.add(((Message) s).getBody()), s -> s instanceof Message);
        mobile.connect().login();
        XMPPTCPConnection friend = SmackClients.login(node, "friend", "friend-secret", "pc");
        try {
            assertThat(mobile.isSmEnabled()).isTrue();
            assertThat(mobile.isSmResumptionPossible()).isTrue();
            send(friend, "before the cut");
            await().atMost(Duration.ofSeconds(10)).until(() -> bodies.contains("before the cut"));

            mobile.instantShutdown(); // the socket dies without a closing handshake
            Jid mobileJid = new Jid("mobile", TestNode.DOMAIN, "phone");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                var s = node.node().sessions().session(mobileJid);
                return s != null && s.isHibernating();
            });
            List<String> sentWhileAway = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sentWhileAway.add("while away " + i);
                send(friend, "while away " + i);
            }
            org.jivesoftware.smackx.ping.PingManager.getInstanceFor(friend).pingMyServer();

            mobile.connect().login(); // Smack resumes the stream instead of binding anew
            assertThat(mobile.streamWasResumed()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> bodies.containsAll(sentWhileAway));
            assertThat(bodies).filteredOn(b -> b.startsWith("while away")).containsExactlyElementsOf(sentWhileAway);
            assertThat(bodies).filteredOn("before the cut"::equals).hasSize(1);
        } finally {
            mobile.disconnect();
            friend.disconnect();
            XMPPTCPConnection.setUseStreamManagementResumptionDefault(false);
        }
    }

    private static void send(XMPPTCPConnection from, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(JidCreate.from("mobile@" + TestNode.DOMAIN + "/phone"))
                .ofType(Message.Type.chat).setBody(body).build());
    }
}
