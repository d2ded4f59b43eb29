package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0160: a message for an offline user is stored, survives a restart, and arrives at login with a delay stamp. */
class OfflineMessageTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        node.createUser("sender", "sender-secret");
        node.createUser("sleeper", "sleeper-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void deliveredInOrderAtNextLoginWithDelayStamp() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        XMPPTCPConnection sender = SmackClients.login(node, "sender", "sender-secret", "desk");
        for (int i = 1; i <= 3; i++) {
            sender.sendStanza(sender.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.from("sleeper@" + TestNode.DOMAIN)).ofType(Message.Type.chat).setBody("while you slept " + i).build());
        }
        // A round trip makes sure the server processed the messages before we restart it.
        org.jivesoftware.smackx.ping.PingManager.getInstanceFor(sender).pingMyServer();
        sender.disconnect();
        node = node.restart();

        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        XMPPTCPConnection sleeper = new XMPPTCPConnection(SmackClients.config(node, "sleeper", "sleeper-secret", "bed").build());
        // Synchronous: Smack runs async listeners on a pool, in no particular order, and the order is under test.
        sleeper.addSyncStanzaListener(s -> received.add((Message) s), s -> s instanceof Message);
        sleeper.connect().login();
        try {
            for (int i = 1; i <= 3; i++) {
                Message m = received.poll(10, TimeUnit.SECONDS);
                assertThat(m).as("offline message %d", i).isNotNull();
                assertThat(m.getBody()).isEqualTo("while you slept " + i);
                DelayInformation delay = DelayInformation.from(m);
                assertThat(delay).isNotNull();
                assertThat(delay.getStamp().toInstant()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
                assertThat(delay.getFrom()).isEqualTo(TestNode.DOMAIN);
            }
        } finally {
            sleeper.disconnect();
        }
    }
}
