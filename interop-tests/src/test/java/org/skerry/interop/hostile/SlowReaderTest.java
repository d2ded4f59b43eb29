package org.skerry.interop.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.interop.HonestUsers;
import org.skerry.interop.RawXmppClient;
import org.skerry.interop.RawXmppClient.StreamEnd;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;
import org.skerry.server.xmpp.Jid;

/**
 * A logged-in client that stops reading while another user floods it: the node must not queue the flood for it
 * without bound. Past the configured write buffer the slow client is disconnected, while the flooder and everyone
 * else carry on.
 */
class SlowReaderTest {
    static final int BODY_CHARS = 32 << 10;
    /** Far more than the kernel's socket buffers on both sides plus the node's hard limit can hold. */
    static final long FLOOD_BYTES = 24L << 20;
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start("c2s.write_buffer_high=\"64KiB\"", "c2s.write_buffer_low=\"16KiB\"");
        node.createUser("sloth", "sloth-secret");
        node.createUser("flooder", "flooder-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void aClientThatNeverReadsIsDisconnectedInsteadOfBufferedForWithoutBound() throws Exception {
        HonestUsers honest = HonestUsers.prepare(node);
        try (RawXmppClient sloth = RawXmppClient.connectFrom(node, "127.0.0.1", 4096)) {
            String slothJid = sloth.login("sloth", "sloth-secret", "couch");
            sloth.send("<presence/>");
            // From here on the sloth reads nothing.

            XMPPTCPConnection flooder = SmackClients.login(node, "flooder", "flooder-secret", "hose");
            try {
                String body = "z".repeat(BODY_CHARS);
                long sent = 0;
                // Headlines: once the sloth is gone they are dropped (RFC 6121 §8.5.3.2.3), not stored offline.
                while (sent < FLOOD_BYTES) {
                    flooder.sendStanza(flooder.getStanzaFactory().buildMessageStanza().to(JidCreate.from(slothJid))
                            .ofType(Message.Type.headline).setBody(body).build());
                    sent += BODY_CHARS;
                }
                await("the node ends the sloth's session").atMost(Duration.ofSeconds(30))
                        .until(() -> node.node().sessions().session(Jid.parse(slothJid)) == null);

                StreamEnd end = sloth.awaitEnd(Duration.ofSeconds(30));
                assertThat((long) end.raw().length())
                        .as("what the sloth could still read: kernel buffers and the node's bounded queue, not the flood")
                        .isLessThan(FLOOD_BYTES / 2);

                assertThat(PingManager.getInstanceFor(flooder).pingMyServer()).as("the flooder is still served").isTrue();
            } finally {
                flooder.disconnect();
            }
        }
        honest.assertStillServed();
    }
}
