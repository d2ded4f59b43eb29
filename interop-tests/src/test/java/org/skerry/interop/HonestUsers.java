package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The check that every hostile-input test ends with: after the attack, honest Smack users still log in and chat
 * both ways, and what the node stored before the attack (an offline message) is still delivered. Call
 * {@link #prepare} before the attack and {@link #assertStillServed} after it. Each instance uses fresh accounts,
 * so that several checks can share one node.
 */
public final class HonestUsers {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final TestNode node;
    private final String alice;
    private final String bob;
    /** Offline during the attack; alice left her a message before it. */
    private final String carol;
    private final String offlineBody;

    private HonestUsers(TestNode node, int n) {
        this.node = node;
        this.alice = "honest-alice-" + n;
        this.bob = "honest-bob-" + n;
        this.carol = "honest-carol-" + n;
        this.offlineBody = "stored before the attack #" + n;
    }

    /** Creates three accounts and stores an offline message for one of them. */
    public static HonestUsers prepare(TestNode node) {
        HonestUsers users = new HonestUsers(node, NEXT.incrementAndGet());
        for (String user : new String[] {users.alice, users.bob, users.carol}) {
            node.createUser(user, password(user));
        }
        XMPPTCPConnection alice = SmackClients.login(node, users.alice, password(users.alice), "before");
        try {
            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.from(users.carol + "@" + TestNode.DOMAIN)).ofType(Message.Type.chat)
                    .setBody(users.offlineBody).build());
            PingManager.getInstanceFor(alice).pingMyServer(); // the round trip: the node has taken the message
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            alice.disconnect();
        }
        return users;
    }

    /** Honest users log in and chat both ways; the offline message from before the attack arrives. */
    public void assertStillServed() throws Exception {
        XMPPTCPConnection a = SmackClients.login(node, alice, password(alice), "after");
        XMPPTCPConnection b = SmackClients.login(node, bob, password(bob), "after");
        try {
            BlockingQueue<Message> atA = new LinkedBlockingQueue<>();
            BlockingQueue<Message> atB = new LinkedBlockingQueue<>();
            a.addAsyncStanzaListener(s -> atA.add((Message) s), s -> s instanceof Message);
            b.addAsyncStanzaListener(s -> atB.add((Message) s), s -> s instanceof Message);
            a.sendStanza(a.getStanzaFactory().buildMessageStanza().to(b.getUser()).ofType(Message.Type.chat)
                    .setBody("still here?").build());
            Message fromA = atB.poll(10, TimeUnit.SECONDS);
            assertThat(fromA).as("alice's message at bob").isNotNull();
            assertThat(fromA.getBody()).isEqualTo("still here?");
            b.sendStanza(b.getStanzaFactory().buildMessageStanza().to(fromA.getFrom()).ofType(Message.Type.chat)
                    .setBody("still here.").build());
            Message fromB = atA.poll(10, TimeUnit.SECONDS);
            assertThat(fromB).as("bob's answer at alice").isNotNull();
            assertThat(fromB.getBody()).isEqualTo("still here.");
        } finally {
            a.disconnect();
            b.disconnect();
        }

        BlockingQueue<Message> atCarol = new LinkedBlockingQueue<>();
        XMPPTCPConnection c = new XMPPTCPConnection(SmackClients.config(node, carol, password(carol), "after").build());
        c.addAsyncStanzaListener(s -> atCarol.add((Message) s), s -> s instanceof Message);
        c.connect().login();
        try {
            Message stored = atCarol.poll(10, TimeUnit.SECONDS);
            assertThat(stored).as("the offline message stored before the attack").isNotNull();
            assertThat(stored.getBody()).isEqualTo(offlineBody);
        } finally {
            c.disconnect();
        }
    }

    private static String password(String user) {
        return user + "-secret";
    }
}
