package org.skerry.interop;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.impl.JidCreate;

/** Smack 4.4.8 connections to a {@link TestNode}, over STARTTLS that trusts only the node's certificate. */
public final class SmackClients {
    private SmackClients() {}

    public static XMPPTCPConnectionConfiguration.Builder config(TestNode node, String user, String password, String resource) {
        return config(node.domain(), node.port(), node.trustManager(), user, password, resource);
    }

    /** For a node that is not a {@link TestNode}, e.g. one running in its own process, on loopback. */
    public static XMPPTCPConnectionConfiguration.Builder config(String domain, int port, X509TrustManager trust,
                                                                String user, String password, String resource) {
        try {
            return XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(JidCreate.domainBareFrom(domain))
                    .setHostAddress(java.net.InetAddress.getLoopbackAddress())
                    .setPort(port)
                    .setSecurityMode(SecurityMode.required)
                    .setCustomX509TrustManager(trust)
                    .setUsernameAndPassword(user, password)
                    .setResource(resource)
                    .setSendPresence(true)
                    .setConnectTimeout(10_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connects and logs in; the caller disconnects. */
    public static XMPPTCPConnection login(TestNode node, String user, String password, String resource) {
        try {
            XMPPTCPConnection connection = new XMPPTCPConnection(config(node, user, password, resource).build());
            connection.setReplyTimeout(10_000);
            connection.connect().login();
            return connection;
        } catch (Exception e) {
            throw new IllegalStateException("login of " + user + " failed: " + e, e);
        }
    }

    /** Logs in, letting Smack's own exception (e.g. a SASL failure) through; a failed connection is closed. */
    public static XMPPTCPConnection loginOrThrow(TestNode node, String user, String password, String resource)
            throws Exception {
        XMPPTCPConnection connection = new XMPPTCPConnection(config(node, user, password, resource).build());
        try {
            connection.connect().login();
            return connection;
        } catch (Exception e) {
            connection.disconnect();
            throw e;
        }
    }

    /** Every message the connection receives from now on, in arrival order. */
    public static BlockingQueue<Message> messagesTo(XMPPTCPConnection connection) {
        BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
        connection.addSyncStanzaListener(s -> messages.add((Message) s), s -> s instanceof Message);
        return messages;
    }

    /** Sends a chat message. */
    public static void send(XMPPTCPConnection from, String to, String body) throws Exception {
        from.sendStanza(from.getStanzaFactory().buildMessageStanza().to(JidCreate.from(to))
                .ofType(Message.Type.chat).setBody(body).build());
    }
}
