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
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.server.xmpp.Jid;

/** RFC 6121 presence: directed presence, unavailable when a session ends, probes at login, negative priority. */
class PresenceTest {
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        node.createUser("sam", "sam-secret");
        node.createUser("tina", "tina-secret");
        node.createUser("uma", "uma-secret");
        Subscriptions.mutual(node, "sam", "sam-secret", "tina", "tina-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void contactsAndDirectedPresenceRecipientsLearnThatASessionEnded() throws Exception {
        XMPPTCPConnection tina = SmackClients.login(node, "tina", "tina-secret", "pc");
        XMPPTCPConnection uma = SmackClients.login(node, "uma", "uma-secret", "pc");
        XMPPTCPConnection sam = new XMPPTCPConnection(SmackClients.config(node, "sam", "sam-secret", "laptop").build());
        sam.setUseStreamManagement(false); // no resumption: a cut socket ends the session at once
        try {
            String samFull = "sam@" + TestNode.DOMAIN + "/laptop";
            BlockingQueue<Presence> atTina = presencesFrom(tina, samFull);
            BlockingQueue<Presence> atUma = presencesFrom(uma, samFull);
            sam.connect().login();
            assertThat(atTina.poll(10, TimeUnit.SECONDS).getType()).isEqualTo(Presence.Type.available);

            // Uma is no contact of Sam's: she sees him only through directed presence.
            sam.sendStanza(sam.getStanzaFactory().buildPresenceStanza().to(JidCreate.bareFrom("uma@" + TestNode.DOMAIN)).build());
            Presence directed = atUma.poll(10, TimeUnit.SECONDS);
            assertThat(directed).isNotNull();
            assertThat(directed.getType()).isEqualTo(Presence.Type.available);

            sam.instantShutdown(); // the socket dies; the client sends no unavailable presence itself
            Presence tinaHears = atTina.poll(10, TimeUnit.SECONDS);
            Presence umaHears = atUma.poll(10, TimeUnit.SECONDS);
            assertThat(tinaHears).isNotNull();
            assertThat(tinaHears.getType()).isEqualTo(Presence.Type.unavailable);
            assertThat(umaHears).isNotNull();
            assertThat(umaHears.getType()).isEqualTo(Presence.Type.unavailable);
        } finally {
            sam.disconnect();
            tina.disconnect();
            uma.disconnect();
        }
    }

    @Test
    void aContactWhoLogsInLaterLearnsWhoIsOnline() throws Exception {
        XMPPTCPConnection tina = SmackClients.login(node, "tina", "tina-secret", "tablet");
        XMPPTCPConnection sam = new XMPPTCPConnection(SmackClients.config(node, "sam", "sam-secret", "desk").build());
        try {
            BlockingQueue<Presence> atSam = presencesFrom(sam, "tina@" + TestNode.DOMAIN + "/tablet");
            sam.connect().login(); // the server probes Sam's contacts for him
            Presence probed = atSam.poll(10, TimeUnit.SECONDS);
            assertThat(probed).isNotNull();
            assertThat(probed.getType()).isEqualTo(Presence.Type.available);
        } finally {
            sam.disconnect();
            tina.disconnect();
        }
    }

    @Test
    void aNegativePriorityResourceGetsNoMessagesForTheAccount() throws Exception {
        XMPPTCPConnection tina = SmackClients.login(node, "tina", "tina-secret", "sender");
        XMPPTCPConnection away = SmackClients.login(node, "sam", "sam-secret", "away");
        XMPPTCPConnection main = SmackClients.login(node, "sam", "sam-secret", "main");
        try {
            List<String> atAway = bodies(away);
            List<String> atMain = bodies(main);
            away.sendStanza(away.getStanzaFactory().buildPresenceStanza().setPriority(-1).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> node.node().sessions()
                    .session(new Jid("sam", TestNode.DOMAIN, "away")).priority() == -1);

            sendToSam(tina, "for the account");
            await().atMost(Duration.ofSeconds(10)).until(() -> atMain.contains("for the account"));

            // With only the negative-priority resource left, the message is stored offline instead.
            main.disconnect();
            await().atMost(Duration.ofSeconds(10)).until(() -> node.node().sessions()
                    .session(new Jid("sam", TestNode.DOMAIN, "main")) == null);
            sendToSam(tina, "while main is away");
            await().atMost(Duration.ofSeconds(10)).until(() -> node.node().storage().offline().count(TestNode.DOMAIN, "sam") == 1);
            XMPPTCPConnection mainAgain = new XMPPTCPConnection(SmackClients.config(node, "sam", "sam-secret", "main").build());
            List<String> atMainAgain = bodies(mainAgain);
            mainAgain.connect().login();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> atMainAgain.contains("while main is away"));
            } finally {
                mainAgain.disconnect();
            }
            assertThat(atAway).isEmpty();
        } finally {
            main.disconnect();
            away.disconnect();
            tina.disconnect();
        }
    }

    @Test
    void offlineMessagesWaitUntilTheResourceTurnsNonNegative() throws Exception {
        node.createUser("vic", "vic-secret");
        XMPPTCPConnection tina = SmackClients.login(node, "tina", "tina-secret", "offline-sender");
        try {
            tina.sendStanza(tina.getStanzaFactory().buildMessageStanza().to(JidCreate.bareFrom("vic@" + TestNode.DOMAIN))
                    .ofType(Message.Type.chat).setBody("kept for vic").build());
            await().atMost(Duration.ofSeconds(10)).until(() -> node.node().storage().offline().count(TestNode.DOMAIN, "vic") == 1);
        } finally {
            tina.disconnect();
        }
        // XEP-0160 §4: offline messages go to the first resource that is available with a non-negative priority.
        XMPPTCPConnection vic = new XMPPTCPConnection(SmackClients.config(node, "vic", "vic-secret", "pc")
                .setSendPresence(false).build());
        List<String> atVic = bodies(vic);
        vic.connect().login();
        try {
            vic.sendStanza(vic.getStanzaFactory().buildPresenceStanza().setPriority(-1).build());
            assertThat(org.jivesoftware.smackx.ping.PingManager.getInstanceFor(vic).pingMyServer(true, 10_000)).isTrue();
            assertThat(atVic).isEmpty();
            vic.sendStanza(vic.getStanzaFactory().buildPresenceStanza().setPriority(0).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> atVic.contains("kept for vic"));
        } finally {
            vic.disconnect();
        }
    }

    private static void sendToSam(XMPPTCPConnection from, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(JidCreate.bareFrom("sam@" + TestNode.DOMAIN))
                .ofType(Message.Type.chat).setBody(body).build());
    }

    private static List<String> bodies(XMPPTCPConnection connection) {
        List<String> bodies = new CopyOnWriteArrayList<>();
        connection.addAsyncStanzaListener(s -> bodies.add(((Message) s).getBody()),
                s -> s instanceof Message && ((Message) s).getBody() != null);
        return bodies;
    }

    private static BlockingQueue<Presence> presencesFrom(XMPPTCPConnection connection, String fullJid) {
        BlockingQueue<Presence> queue = new LinkedBlockingQueue<>();
        connection.addAsyncStanzaListener(s -> queue.add((Presence) s),
                s -> s instanceof Presence && s.getFrom() != null && s.getFrom().toString().equals(fullJid));
        return queue;
    }
}
