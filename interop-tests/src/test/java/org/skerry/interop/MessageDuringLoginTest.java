package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.server.routing.Events;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Namespaces;

/**
 * A message for an account with no available resource goes to offline storage; if a resource of the account
 * becomes available between that decision and the store, the message must still reach it in that session, not
 * wait for the next login. The test holds the router between the two steps (a handler on the offline event that
 * passes it on only after the recipient's login queued its offline delivery), which is the interleaving a loaded
 * machine produces now and then on its own.
 */
class MessageDuringLoginTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        node.createUser("early", "early-secret");
        node.createUser("late", "late-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void aMessageStoredWhileItsRecipientComesOnlineArrivesInThatSession() throws Exception {
        String recipient = "late@" + TestNode.DOMAIN;
        CountDownLatch routedToStorage = new CountDownLatch(1);
        CountDownLatch recipientAvailable = new CountDownLatch(1);
        // Above the offline module (10): sees the message after the router found no available resource, before the store.
        node.node().events().on(Events.MESSAGE_OFFLINE, 100, request -> {
            if (request.to().bare().toString().equals(recipient)) {
                routedToStorage.countDown();
                await(recipientAvailable);
            }
            return false;
        });
        // Below the offline module (5): runs once the login's offline delivery is queued.
        node.node().events().on(Events.SESSION_AVAILABLE, 1, session -> {
            if (session.bare().toString().equals(recipient)) {
                recipientAvailable.countDown();
            }
            return false;
        });

        Element message = new Element("message", Namespaces.CLIENT).attr("type", "chat")
                .attr("from", "early@" + TestNode.DOMAIN + "/desk").attr("to", recipient);
        message.addChild("body", Namespaces.CLIENT).addText("sent while you logged in");
        Thread router = new Thread(() -> node.node().router().route(message), "test-router");
        router.start();
        assertThat(routedToStorage.await(10, TimeUnit.SECONDS)).as("the router chose offline storage").isTrue();

        BlockingQueue<Message> received = new LinkedBlockingQueue<>();
        XMPPTCPConnection late = new XMPPTCPConnection(SmackClients.config(node, "late", "late-secret", "phone").build());
        late.addSyncStanzaListener(s -> received.add((Message) s), s -> s instanceof Message);
        late.connect().login();
        try {
            Message arrived = received.poll(10, TimeUnit.SECONDS);
            assertThat(arrived).as("the message, in the session that was logging in").isNotNull();
            assertThat(arrived.getBody()).isEqualTo("sent while you logged in");
        } finally {
            late.disconnect();
            router.join(10_000);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
