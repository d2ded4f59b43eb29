package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * Entries of federation.hosts may name a host rather than an IP address: a.test and b.test know each other as
 * "localhost" (resolved from the hosts file on a look-up thread, never on an event loop), and chat both ways.
 */
class HostNameRouteTest {
    static TestNode a;
    static TestNode b;

    @BeforeAll
    static void start() {
        int aPort = TestNode.freePort();
        int bPort = TestNode.freePort();
        a = TestNode.startServing("a.test", federation(aPort, "federation.hosts.b.test=\"localhost:" + bPort + "\""));
        b = TestNode.startServing("b.test", federation(bPort, "federation.hosts.a.test=\"localhost:" + aPort + "\""));
        a.createUser("alice", "alice-secret");
        b.createUser("bob", "bob-secret");
    }

    private static String[] federation(int port, String route) {
        return List.of("federation.enabled=true", "federation.bind=\"127.0.0.1\"", "federation.port=" + port,
                "federation.direct_tls_port=0", "federation.auth=\"dialback\"", route).toArray(new String[0]);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    @Test
    void peersNamedByHostNameInFederationHostsAreReached() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(a, "alice", "alice-secret", "phone");
        XMPPTCPConnection bob = SmackClients.login(b, "bob", "bob-secret", "laptop");
        try {
            BlockingQueue<Stanza> atBob = new LinkedBlockingQueue<>();
            BlockingQueue<Stanza> atAlice = new LinkedBlockingQueue<>();
            bob.addAsyncStanzaListener(atBob::add, s -> s instanceof Message);
            alice.addAsyncStanzaListener(atAlice::add, s -> s instanceof Message);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@b.test"))
                    .ofType(Message.Type.chat).setBody("via localhost").build());
            Message received = (Message) atBob.poll(20, TimeUnit.SECONDS);
            assertThat(received).as("a.test -> b.test through \"localhost\"").isNotNull();
            assertThat(received.getBody()).isEqualTo("via localhost");

            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(received.getFrom())
                    .ofType(Message.Type.chat).setBody("back via localhost").build());
            Message reply = (Message) atAlice.poll(20, TimeUnit.SECONDS);
            assertThat(reply).as("b.test -> a.test through \"localhost\"").isNotNull();
            assertThat(reply.getBody()).isEqualTo("back via localhost");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }
}
