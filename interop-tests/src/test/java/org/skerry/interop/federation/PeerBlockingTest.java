package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.skerry.interop.SmackClients.messagesTo;
import static org.skerry.interop.SmackClients.send;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.interop.SmackClients;

/**
 * federation.blocked_domains and federation.allowed_domains, on three dialback nodes: a.test blocks b.test,
 * c.test allows only a.test, and b.test gives up on a peer after 3 s, so that what the others refuse bounces soon.
 */
class PeerBlockingTest {
    static final List<String> DOMAINS = List.of("a.test", "b.test", "c.test");
    static FederatedNodes nodes;
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    @BeforeAll
    static void start() {
        nodes = FederatedNodes.start(DOMAINS, domain -> switch (domain) {
            case "a.test" -> List.of("federation.blocked_domains=[\"b.test\"]");
            case "b.test" -> List.of("federation.queue_max_age=\"3s\"");
            default -> List.of("federation.allowed_domains=[\"a.test\"]");
        }, "federation.auth=\"dialback\"");
    }

    @AfterAll
    static void stop() { nodes.close(); }

    @Test
    void aMessageToABlockedDomainBouncesAtOnceWithNotAllowed() throws Exception {
        XMPPTCPConnection sender = loginAsNewUser(nodes, "a.test");
        try {
            BlockingQueue<Message> atSender = messagesTo(sender);
            send(sender, "user@b.test", "hello blocked");
            // Well under b.test's reachability: a.test must not even try to connect, let alone queue.
            Message bounce = atSender.poll(2, TimeUnit.SECONDS);
            assertThat(bounce).as("immediate bounce").isNotNull();
            assertThat(bounce.getType()).isEqualTo(Message.Type.error);
            assertThat(bounce.getFrom().toString()).isEqualTo("user@b.test");
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.not_allowed);
        } finally {
            sender.disconnect();
        }
    }

    @Test
    void aBlockedPeerCannotAuthenticateSoItsMessageNeverArrivesAndBouncesAtItsSender() throws Exception {
        assertRefused(nodes, "b.test", "a.test");
    }

    @Test
    void allowOnlyModeLetsTheAllowedPeerThroughAndRefusesAnother() throws Exception {
        FederatedChatTest.chatBothWays(nodes, "a.test", "c.test");
        assertRefused(nodes, "b.test", "c.test");
    }

    /**
     * A message from a new account on {@code senderDomain} to a new account on {@code refusingDomain} is not
     * delivered, and bounces after the sender's queue_max_age (which should be a few seconds). New accounts, because
     * whatever an earlier test left for "user" (a message that reached it but was not yet acknowledged when it
     * logged out goes back to offline storage, XEP-0198) would arrive at its next login and look like a leak
     * through the refusal.
     */
    static void assertRefused(FederatedNodes nodes, String senderDomain, String refusingDomain) throws Exception {
        XMPPTCPConnection sender = loginAsNewUser(nodes, senderDomain);
        XMPPTCPConnection recipient = loginAsNewUser(nodes, refusingDomain);
        try {
            BlockingQueue<Message> atSender = messagesTo(sender);
            BlockingQueue<Message> atRecipient = messagesTo(recipient);
            send(sender, recipient.getUser().asBareJid().toString(), "let me in");
            Message bounce = atSender.poll(30, TimeUnit.SECONDS);
            assertThat(bounce).as("bounce after queue_max_age").isNotNull();
            assertThat(bounce.getType()).isEqualTo(Message.Type.error);
            assertThat(bounce.getError().getCondition()).isEqualTo(StanzaError.Condition.remote_server_timeout);
            assertThat(atRecipient.poll(500, TimeUnit.MILLISECONDS)).as("delivered to the refusing node").isNull();
        } finally {
            sender.disconnect();
            recipient.disconnect();
        }
    }

    /** Logs in on an account of its own, which no earlier test can have left anything for. */
    static XMPPTCPConnection loginAsNewUser(FederatedNodes nodes, String domain) {
        String account = "fresh-" + ACCOUNTS.incrementAndGet();
        nodes.node(domain).createUser(account, "secret");
        return SmackClients.login(nodes.node(domain), account, "secret", "phone");
    }

    static XMPPTCPConnection login(FederatedNodes nodes, String domain) throws Exception {
        return SmackClients.login(nodes.node(domain), "user", "secret-" + domain, "phone");
    }
}
