package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.server.session.ClientSession;
import org.skerry.server.xmpp.Jid;

/**
 * XEP-0198 on c2s: the server asks for an acknowledgement right after it delivers, so a client that got a message
 * confirms it at once. Otherwise the message stays unacknowledged, and when the client logs out cleanly it goes
 * back to offline storage and comes again at the next login (a duplicate for the user, and a message "left over"
 * for whoever logs in next on that account).
 */
class AcknowledgementRequestTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        node.createUser("writer", "writer-secret");
        node.createUser("reader", "reader-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void everyDeliveredMessageIsAcknowledgedWhileTheClientIsStillConnected() throws Exception {
        XMPPTCPConnection writer = SmackClients.login(node, "writer", "writer-secret", "desk");
        XMPPTCPConnection reader = SmackClients.login(node, "reader", "reader-secret", "phone");
        try {
            assertThat(reader.isSmEnabled()).as("Smack enabled stream management").isTrue();
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            reader.addSyncStanzaListener(s -> received.add((Message) s), s -> s instanceof Message);
            ClientSession readerSession = node.node().sessions().session(Jid.parse("reader@" + TestNode.DOMAIN + "/phone"));
            // One at a time: each must be acknowledged on its own, not once a batch of them has piled up.
            for (int i = 1; i <= 3; i++) {
                writer.sendStanza(writer.getStanzaFactory().buildMessageStanza()
                        .to(JidCreate.from("reader@" + TestNode.DOMAIN + "/phone")).ofType(Message.Type.chat)
                        .setBody("message " + i).build());
                Message message = received.poll(10, TimeUnit.SECONDS);
                assertThat(message).as("message %d", i).isNotNull();
                assertThat(message.getBody()).isEqualTo("message " + i);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(readerSession.unackedCount()).as("unacknowledged after message").isZero());
            }
        } finally {
            writer.disconnect();
            reader.disconnect();
        }
    }
}
