package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.caps.EntityCapsManager;
import org.jivesoftware.smackx.caps.packet.CapsExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** XEP-0115: the server passes a client's caps element on to its contacts unchanged. */
class EntityCapsTest {
    static final String CLIENT_NODE = "https://skerry.test/caps-client";
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        node.createUser("quinn", "quinn-secret");
        node.createUser("rita", "rita-secret");
        Subscriptions.mutual(node, "quinn", "quinn-secret", "rita", "rita-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void capsInPresenceReachTheContactIntact() throws Exception {
        XMPPTCPConnection rita = SmackClients.login(node, "rita", "rita-secret", "pc");
        // Smack adds its own caps to every presence, and re-announces a presence when they change: switched off
        // before quinn logs in, the test alone decides what quinn sends (switching it off later raced with that).
        XMPPTCPConnection quinn = new XMPPTCPConnection(SmackClients.config(node, "quinn", "quinn-secret", "phone").build());
        EntityCapsManager.getInstanceFor(quinn).disableEntityCaps();
        quinn.connect().login();
        try {
            BlockingQueue<Presence> atRita = new LinkedBlockingQueue<>();
            rita.addAsyncStanzaListener(s -> atRita.add((Presence) s), s -> s instanceof Presence
                    && s.getFrom().toString().equals("quinn@" + TestNode.DOMAIN + "/phone")
                    && CLIENT_NODE.equals(capsOf(s) == null ? null : capsOf(s).getNode()));
            quinn.sendStanza(quinn.getStanzaFactory().buildPresenceStanza()
                    .addExtension(new CapsExtension(CLIENT_NODE, "QgayPKawpkPSDYmwT/WM94uAlu0=", "sha-1"))
                    .build());

            Presence received = atRita.poll(10, TimeUnit.SECONDS);
            assertThat(received).isNotNull();
            CapsExtension caps = capsOf(received);
            assertThat(caps.getNode()).isEqualTo(CLIENT_NODE);
            assertThat(caps.getVer()).isEqualTo("QgayPKawpkPSDYmwT/WM94uAlu0=");
            assertThat(caps.getHash()).isEqualTo("sha-1");

            // A resource of Rita's that logs in later gets Quinn's presence through the server's probe, caps included.
            XMPPTCPConnection ritaLater = new XMPPTCPConnection(SmackClients.config(node, "rita", "rita-secret", "tablet").build());
            BlockingQueue<Presence> atRitaLater = new LinkedBlockingQueue<>();
            ritaLater.addAsyncStanzaListener(s -> atRitaLater.add((Presence) s), s -> s instanceof Presence
                    && s.getFrom().toString().equals("quinn@" + TestNode.DOMAIN + "/phone"));
            ritaLater.connect().login();
            try {
                Presence probed = atRitaLater.poll(10, TimeUnit.SECONDS);
                assertThat(probed).isNotNull();
                assertThat(capsOf(probed)).isNotNull();
                assertThat(capsOf(probed).getNode()).isEqualTo(CLIENT_NODE);
                assertThat(capsOf(probed).getVer()).isEqualTo("QgayPKawpkPSDYmwT/WM94uAlu0=");
            } finally {
                ritaLater.disconnect();
            }
        } finally {
            quinn.disconnect();
            rita.disconnect();
        }
    }

    private static CapsExtension capsOf(org.jivesoftware.smack.packet.Stanza stanza) {
        return stanza.getExtension(CapsExtension.ELEMENT, CapsExtension.NAMESPACE);
    }
}
