package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/** Two Smack users on one node chat both ways over STARTTLS with SCRAM. */
class ChatTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        node.createUser("alice", "alice-secret");
        node.createUser("bob", "bob-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void twoUsersChatBothWays() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(node, "alice", "alice-secret", "phone");
        XMPPTCPConnection bob = SmackClients.login(node, "bob", "bob-secret", "laptop");
        try {
            assertThat(alice.isSecureConnection()).isTrue();
            BlockingQueue<Stanza> toBob = new LinkedBlockingQueue<>();
            BlockingQueue<Stanza> toAlice = new LinkedBlockingQueue<>();
            bob.addAsyncStanzaListener(toBob::add, s -> s instanceof Message);
            alice.addAsyncStanzaListener(toAlice::add, s -> s instanceof Message);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.from("bob@" + TestNode.DOMAIN)).ofType(Message.Type.chat).setBody("hello bob").build());
            Message atBob = (Message) toBob.poll(10, TimeUnit.SECONDS);
            assertThat(atBob).isNotNull();
            assertThat(atBob.getBody()).isEqualTo("hello bob");
            assertThat(atBob.getFrom().toString()).isEqualTo("alice@" + TestNode.DOMAIN + "/phone");

            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza()
                    .to(atBob.getFrom()).ofType(Message.Type.chat).setBody("hi alice").build());
            Message atAlice = (Message) toAlice.poll(10, TimeUnit.SECONDS);
            assertThat(atAlice).isNotNull();
            assertThat(atAlice.getBody()).isEqualTo("hi alice");
            assertThat(atAlice.getFrom().toString()).isEqualTo("bob@" + TestNode.DOMAIN + "/laptop");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }
}
