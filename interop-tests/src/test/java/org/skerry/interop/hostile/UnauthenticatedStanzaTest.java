package org.skerry.interop.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.interop.HonestUsers;
import org.skerry.interop.RawXmppClient;
import org.skerry.interop.RawXmppClient.StreamEnd;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * Stanzas sent before authentication (in the clear right after the stream header, or inside TLS before SASL):
 * the stream ends with {@code <not-authorized/>}, and nothing reaches the logged-in user they were aimed at.
 */
class UnauthenticatedStanzaTest {
    static final String VICTIM = "victim@" + TestNode.DOMAIN;
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        node.createUser("victim", "victim-secret");
        node.createUser("friend", "friend-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void stanzasBeforeAuthenticationAreRefusedAndNeverDelivered() throws Exception {
        HonestUsers honest = HonestUsers.prepare(node);
        XMPPTCPConnection victim = SmackClients.login(node, "victim", "victim-secret", "phone");
        BlockingQueue<Message> atVictim = new LinkedBlockingQueue<>();
        victim.addAsyncStanzaListener(s -> atVictim.add((Message) s), s -> s instanceof Message);
        try {
            String forged = "<message to='" + VICTIM + "' from='friend@" + TestNode.DOMAIN + "/x' type='chat'>"
                    + "<body>forged before authentication</body></message>";
            try (RawXmppClient inTheClear = RawXmppClient.connect(node)) {
                inTheClear.openStream();
                inTheClear.send(forged);
                assertNotAuthorized(inTheClear.awaitEnd(RawXmppClient.TIMEOUT));
            }
            try (RawXmppClient insideTls = RawXmppClient.connect(node)) {
                insideTls.openStream();
                insideTls.startTls();
                insideTls.send(forged);
                assertNotAuthorized(insideTls.awaitEnd(RawXmppClient.TIMEOUT));
            }
            try (RawXmppClient rosterThief = RawXmppClient.connect(node)) {
                rosterThief.openStream();
                rosterThief.startTls();
                rosterThief.send("<iq type='get' id='roster-1'><query xmlns='jabber:iq:roster'/></iq>");
                StreamEnd end = rosterThief.awaitEnd(RawXmppClient.TIMEOUT);
                assertNotAuthorized(end);
                assertThat(end.raw()).doesNotContain("jabber:iq:roster");
            }

            // The node handled each forged stanza before it answered with the stream error, so a message sent now
            // by a real friend is the first one the victim can see if nothing forged got through.
            XMPPTCPConnection friend = SmackClients.login(node, "friend", "friend-secret", "desk");
            try {
                friend.sendStanza(friend.getStanzaFactory().buildMessageStanza().to(victim.getUser())
                        .ofType(Message.Type.chat).setBody("the real one").build());
                Message first = atVictim.poll(10, TimeUnit.SECONDS);
                assertThat(first).isNotNull();
                assertThat(first.getBody()).isEqualTo("the real one");
                assertThat(atVictim).isEmpty();
            } finally {
                friend.disconnect();
            }
        } finally {
            victim.disconnect();
        }
        honest.assertStillServed();
    }

    private static void assertNotAuthorized(StreamEnd end) {
        MalformedXmlTest.assertClosedWith(end, "not-authorized");
    }
}
