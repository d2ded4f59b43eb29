package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.interop.SmackClients;

/**
 * federation.peer_stanza_rate paces a flooding peer by not reading its link (TCP pushes back, the peer's queue
 * waits) instead of dropping anything: every stanza still arrives, in order, just not faster than the rate.
 */
class PeerStanzaRateTest {
    @Test
    void aFloodingPeerIsSlowedDownButNothingIsLost() throws Exception {
        int rate = 20;
        int messages = 100;
        try (FederatedNodes nodes = FederatedNodes.start(List.of("a.test", "b.test"),
                domain -> domain.equals("a.test")
                        ? List.of("federation.peer_stanza_rate=" + rate, "federation.peer_stanza_burst=" + rate)
                        : List.of(),
                "federation.auth=\"dialback\"")) {
            nodes.node("a.test").createUser("sink", "sink-secret");
            nodes.node("b.test").createUser("flood", "flood-secret");
            XMPPTCPConnection sink = SmackClients.login(nodes.node("a.test"), "sink", "sink-secret", "in");
            List<String> bodies = new CopyOnWriteArrayList<>();
            sink.addSyncStanzaListener(s -> bodies.add(((Message) s).getBody()), s -> s instanceof Message);
            XMPPTCPConnection flood = SmackClients.login(nodes.node("b.test"), "flood", "flood-secret", "out");
            try {
                long start = System.nanoTime();
                for (int i = 0; i < messages; i++) {
                    flood.sendStanza(flood.getStanzaFactory().buildMessageStanza()
                            .to(JidCreate.from("sink@a.test/in")).ofType(Message.Type.chat)
                            .setBody("m" + i).build());
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> bodies.size() >= messages);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(bodies).hasSize(messages);
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
