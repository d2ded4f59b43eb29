package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * c2s.stanza_rate slows a flooding client down by not reading from it (TCP pushes back) instead of dropping
 * anything: every stanza still arrives, in order, just not faster than the configured rate allows.
 */
class StanzaRateLimitTest {
    @Test
    void floodIsSlowedDownButNothingIsLost() throws Exception {
        int rate = 20;
        int messages = 100;
        try (TestNode node = TestNode.start("c2s.stanza_rate=" + rate, "c2s.stanza_burst=" + rate)) {
            node.createUser("flood", "flood-secret");
            node.createUser("sink", "sink-secret");
            XMPPTCPConnection sink = SmackClients.login(node, "sink", "sink-secret", "in");
            List<String> bodies = new CopyOnWriteArrayList<>();
            sink.addSyncStanzaListener(s -> bodies.add(((Message) s).getBody()), s -> s instanceof Message);
            XMPPTCPConnection flood = SmackClients.login(node, "flood", "flood-secret", "out");
            try {
                long start = System.nanoTime();
                for (int i = 0; i < messages; i++) {
                    flood.sendStanza(flood.getStanzaFactory().buildMessageStanza()
                            .to(JidCreate.from("sink@" + TestNode.DOMAIN + "/in")).ofType(Message.Type.chat)
                            .setBody("m" + i).build());
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> bodies.size() == messages);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                for (int i = 0; i < messages; i++) {
                    assertThat(bodies.get(i)).isEqualTo("m" + i);
                }
                // A functional bound, not a benchmark: beyond the burst, 80 stanzas at 20/s cannot take under 3 s.
                assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            } finally {
                flood.disconnect();
                sink.disconnect();
            }
        }
    }
}
