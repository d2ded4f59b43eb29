package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 6120 §7.7.2.2: a second login on the same resource wins; the first stream ends with conflict. */
class ResourceConflictTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        node.createUser("twin", "twin-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void newSessionWinsAndOldOneGetsConflict() throws Exception {
        XMPPTCPConnection first = SmackClients.login(node, "twin", "twin-secret", "same");
        AtomicReference<Exception> closedWith = new AtomicReference<>();
        first.addConnectionListener(new ConnectionListener() {
            @Override public void connectionClosedOnError(Exception e) { closedWith.set(e); }
        });
        XMPPTCPConnection second = SmackClients.login(node, "twin", "twin-secret", "same");
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> closedWith.get() != null);
            assertThat(closedWith.get()).isInstanceOf(XMPPException.StreamErrorException.class);
            assertThat(((XMPPException.StreamErrorException) closedWith.get()).getStreamError().getCondition())
                    .isEqualTo(StreamError.Condition.conflict);
            assertThat(second.isAuthenticated()).isTrue();
            assertThat(second.getUser().toString()).isEqualTo("twin@" + TestNode.DOMAIN + "/same");
            org.jivesoftware.smackx.ping.PingManager.getInstanceFor(second).pingMyServer();
            assertThat(node.node().sessions().sessions(org.skerry.server.xmpp.Jid.of("twin", TestNode.DOMAIN))).hasSize(1);
        } finally {
            second.disconnect();
            first.disconnect();
        }
    }
}
