package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.interop.SmackClients;

/**
 * Three Skerry nodes with self-signed certificates federate with dialback over STARTTLS: users on every pair of
 * nodes chat both ways, over bidirectional links that acknowledge stanzas with stream management.
 */
class FederatedChatTest {
    static final List<String> DOMAINS = List.of("a.test", "b.test", "c.test");
    static FederatedNodes nodes;
    private static final AtomicInteger CHATS = new AtomicInteger();

    @BeforeAll
    static void start() {
        nodes = FederatedNodes.start(DOMAINS, "federation.auth=\"dialback\"");
    }

    @AfterAll
    static void stop() { nodes.close(); }

    @Test
    void usersOnEveryPairOfNodesChatBothWays() throws Exception {
        for (int i = 0; i < DOMAINS.size(); i++) {
            for (int j = i + 1; j < DOMAINS.size(); j++) {
                chatBothWays(nodes, DOMAINS.get(i), DOMAINS.get(j));
            }
        }

        // One link per pair of nodes, which the first message opened and the reply came back over (XEP-0288), and
        // it acknowledges stanzas both ways with stream management, enabled after dialback. (Streams that only
        // carried a dialback verification never authenticate and have no stanzas to acknowledge.)
        for (String domain : DOMAINS) {
            assertThat(nodes.node(domain).node().module(FederationModule.class).orElseThrow().linkStatus())
                    .filteredOn(link -> link.authMethod() != null)
                    .hasSize(DOMAINS.size() - 1)
                    .allSatisfy(link -> {
                        assertThat(link.direction()).as("%s", link).isEqualTo(Direction.BIDIRECTIONAL);
                        assertThat(link.streamManagement()).as("%s", link).isTrue();
                    });
        }
    }

    /**
     * A new account on each node exchanges one message each way. New accounts, because a message that reached an
     * earlier session of a reused account but was not yet acknowledged when it logged out comes back at the next
     * login (XEP-0198: unacknowledged messages go to offline storage), ahead of the one this check waits for.
     * (Smack counts a stanza as handled only after its listeners were dispatched, so a test that disconnects as
     * soon as a listener saw the message can send its final acknowledgement without it.)
     */
    static void chatBothWays(FederatedNodes nodes, String first, String second) throws Exception {
        String account = "chat-" + CHATS.incrementAndGet();
        nodes.node(first).createUser(account, "secret");
        nodes.node(second).createUser(account, "secret");
        XMPPTCPConnection one = SmackClients.login(nodes.node(first), account, "secret", "phone");
        XMPPTCPConnection two = SmackClients.login(nodes.node(second), account, "secret", "laptop");
        try {
            BlockingQueue<Stanza> atTwo = new LinkedBlockingQueue<>();
            BlockingQueue<Stanza> atOne = new LinkedBlockingQueue<>();
            two.addAsyncStanzaListener(atTwo::add, s -> s instanceof Message);
            one.addAsyncStanzaListener(atOne::add, s -> s instanceof Message);

            one.sendStanza(one.getStanzaFactory().buildMessageStanza().to(JidCreate.from(account + "@" + second))
                    .ofType(Message.Type.chat).setBody("hello from " + first).build());
            Message received = (Message) atTwo.poll(20, TimeUnit.SECONDS);
            assertThat(received).as("message %s -> %s", first, second).isNotNull();
            assertThat(received.getBody()).isEqualTo("hello from " + first);
            assertThat(received.getFrom().toString()).isEqualTo(account + "@" + first + "/phone");

            two.sendStanza(two.getStanzaFactory().buildMessageStanza().to(received.getFrom())
                    .ofType(Message.Type.chat).setBody("hello back from " + second).build());
            Message reply = (Message) atOne.poll(20, TimeUnit.SECONDS);
            assertThat(reply).as("message %s -> %s", second, first).isNotNull();
            assertThat(reply.getBody()).isEqualTo("hello back from " + second);
            assertThat(reply.getFrom().toString()).isEqualTo(account + "@" + second + "/laptop");
        } finally {
            one.disconnect();
            two.disconnect();
        }
    }
}
