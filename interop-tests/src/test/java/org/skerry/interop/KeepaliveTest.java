package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.XMPPException.StreamErrorException;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler.Mode;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.Test;

/**
 * Liveness: the server pings a silent client (XEP-0199), keeps a client that answers, and closes with
 * connection-timeout a client that never answers or never authenticates.
 */
class KeepaliveTest {

    @Test
    void theServerPingsASilentClientThatStaysConnectedByAnswering() throws Exception {
        try (TestNode node = TestNode.start("c2s.ping_interval=\"1s\"", "c2s.idle_timeout=\"3s\"")) {
            node.createUser("ivy", "ivy-secret");
            XMPPTCPConnection ivy = new XMPPTCPConnection(SmackClients.config(node, "ivy", "ivy-secret", "pc").build());
            ivy.setUseStreamManagement(false);
            AtomicInteger pingsFromServer = new AtomicInteger();
            ivy.connect().login();
            // Smack hands IQ requests to handlers only, never to stanza listeners: count in a handler that answers
            // like Smack's PingManager does.
            ivy.registerIQRequestHandler(new AbstractIqRequestHandler(Ping.ELEMENT, Ping.NAMESPACE, IQ.Type.get, Mode.sync) {
                @Override public IQ handleIQRequest(IQ request) {
                    if (request.getFrom() != null && request.getFrom().toString().equals(TestNode.DOMAIN)) {
                        pingsFromServer.incrementAndGet();
                    }
                    return ((Ping) request).getPong();
                }
            });
            try {
                // Each answer is traffic, so the idle timeout never strikes.
                await().atMost(Duration.ofSeconds(10)).until(() -> pingsFromServer.get() >= 3);
                Thread.sleep(Duration.ofSeconds(4).toMillis()); // longer than idle_timeout
                assertThat(ivy.isConnected()).isTrue();
            } finally {
                ivy.disconnect();
            }
        }
    }

    @Test
    void aClientThatNeverAnswersIsClosedAfterTheIdleTimeout() throws Exception {
        try (TestNode node = TestNode.start("c2s.ping_interval=\"1s\"", "c2s.idle_timeout=\"3s\"")) {
            node.createUser("jack", "jack-secret");
            XMPPTCPConnection jack = new XMPPTCPConnection(SmackClients.config(node, "jack", "jack-secret", "pc").build());
            jack.setUseStreamManagement(false);
            AtomicReference<Exception> closedWith = new AtomicReference<>();
            jack.addConnectionListener(new ConnectionListener() {
                @Override public void connectionClosedOnError(Exception e) { closedWith.set(e); }
            });
            jack.connect().login();
            // A handler that returns no response: the client swallows the server's pings and stays silent.
            jack.registerIQRequestHandler(new AbstractIqRequestHandler(Ping.ELEMENT, Ping.NAMESPACE, IQ.Type.get, Mode.sync) {
                @Override public IQ handleIQRequest(IQ request) { return null; }
            });
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> closedWith.get() != null);
                assertThat(closedWith.get()).isInstanceOfSatisfying(StreamErrorException.class, e -> assertThat(
                        e.getStreamError().getCondition()).isEqualTo(StreamError.Condition.connection_timeout));
                await().atMost(Duration.ofSeconds(10)).until(() -> node.node().sessions()
                        .sessions(org.skerry.server.xmpp.Jid.of("jack", TestNode.DOMAIN)).isEmpty());
            } finally {
                jack.disconnect();
            }
        }
    }

    @Test
    void aConnectionThatNeverAuthenticatesIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (TestNode node = TestNode.start("c2s.handshake_timeout=\"1s\"");
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("<?xml version='1.0'?><stream:stream to='" + TestNode.DOMAIN + "' version='1.0'"
                    + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            long started = System.nanoTime();
            String received = readUntilClosed(socket.getInputStream());
            assertThat(received).contains("<connection-timeout").contains("</stream:stream>");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    private static String readUntilClosed(InputStream in) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }
}
