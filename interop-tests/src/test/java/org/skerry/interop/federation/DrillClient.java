package org.skerry.interop.federation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.interop.SmackClients;

/**
 * A Smack client of a {@link NodeProcess} that keeps every message it receives, in the order its connection read
 * them, from the moment it logs in (so messages flushed from offline storage at login are kept too). Uses XEP-0198,
 * so that a batch counts as sent only once the node acknowledged it, i.e. delivered or durably stored it.
 */
final class DrillClient implements AutoCloseable {
    /** A received message and when it arrived ({@link System#nanoTime()}). */
    record Arrival(Message message, long nanos) {
        String from() { return message.getFrom().asBareJid().toString(); }
    }

    private final String jid;
    private final XMPPTCPConnection connection;
    private final List<Arrival> arrivals = new ArrayList<>();

    private DrillClient(String jid, XMPPTCPConnection connection) {
        this.jid = jid;
        this.connection = connection;
    }

    static DrillClient login(NodeProcess node, String user, String password) {
        XMPPTCPConnection connection = new XMPPTCPConnection(SmackClients.config(node.domain(), node.c2sPort(),
                node.trustManager(), user, password, "drill").build());
        connection.setUseStreamManagement(true);
        connection.setReplyTimeout(10_000);
        DrillClient client = recording(user + "@" + node.domain(), connection);
        try {
            connection.connect().login();
        } catch (Exception e) {
            connection.disconnect();
            throw new IllegalStateException("login of " + client.jid + " failed: " + e, e);
        }
        return client;
    }

    /** A user of another server (Prosody, ejabberd); without XEP-0198, so not for {@link #sendAcknowledged}. */
    static DrillClient login(ForeignServer server, String user, String password) {
        DrillClient client = recording(user + "@" + server.domain(), server.connection(user, password, "drill"));
        ForeignServerProcesses.connectAndLogin(client.connection);
        return client;
    }

    private static DrillClient recording(String jid, XMPPTCPConnection connection) {
        DrillClient client = new DrillClient(jid, connection);
        // A synchronous listener sees stanzas in the order they were read: what "in order" is measured by.
        connection.addSyncStanzaListener(stanza -> client.received((Message) stanza), stanza -> stanza instanceof Message);
        return client;
    }

    String jid() { return jid; }

    private synchronized void received(Message message) {
        arrivals.add(new Arrival(message, System.nanoTime()));
    }

    synchronized List<Arrival> arrivals() { return List.copyOf(arrivals); }

    /** The bodies of the normal (non-error) messages from {@code sender}, in arrival order. */
    List<String> bodiesFrom(String sender) {
        return arrivals().stream().filter(a -> a.from().equals(sender) && a.message().getType() != Message.Type.error)
                .map(a -> a.message().getBody()).toList();
    }

    /** The error replies (bounces) received, in arrival order. */
    List<Message> errors() {
        return arrivals().stream().map(Arrival::message).filter(m -> m.getType() == Message.Type.error).toList();
    }

    void send(String to, String id, String body) {
        try {
            connection.sendStanza(StanzaBuilder.buildMessage(id).to(JidCreate.entityBareFrom(to))
                    .ofType(Message.Type.chat).setBody(body).build());
        } catch (Exception e) {
            throw new IllegalStateException(jid + " could not send " + id + ": " + e, e);
        }
    }

    /**
     * Sends {@code bodies} to {@code to} in order, with ids {@code idPrefix1, idPrefix2, ...}, and returns once the
     * node acknowledged the last one (XEP-0198 acknowledges in order, so all of them).
     */
    void sendAcknowledged(String to, String idPrefix, List<String> bodies, Duration timeout) {
        CountDownLatch lastAcknowledged = new CountDownLatch(1);
        try {
            connection.addStanzaIdAcknowledgedListener(idPrefix + bodies.size(), stanza -> lastAcknowledged.countDown());
            for (int i = 0; i < bodies.size(); i++) {
                send(to, idPrefix + (i + 1), bodies.get(i));
            }
            // The node answers each <r/> with what it has handled so far, and a stanza for another domain counts as
            // handled only once it is committed to the queue: ask again until the last one is.
            long deadline = System.nanoTime() + timeout.toNanos();
            do {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(jid + "'s node did not acknowledge " + bodies.size() + " messages to "
                            + to + " within " + timeout);
                }
                connection.requestSmAcknowledgement();
            } while (!lastAcknowledged.await(200, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(jid + " could not send to " + to + ": " + e, e);
        }
    }

    @Override
    public void close() { connection.disconnect(); }
}
