package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.federation.link.LoopbackDnsServer;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * XEP-0368 ALPN on direct TLS s2s, seen from a hand-made TLS peer on loopback: the node's direct TLS listener selects
 * "xmpp-server" when a peer offers it (with either TLS provider), serves a peer that offers no ALPN, and refuses one
 * that offers only other protocols (RFC 7301 §3.2); a link the node opens to an {@code _xmpps-server} target offers
 * exactly "xmpp-server", with the peer's domain as SNI.
 */
class DirectTlsAlpnTest {
    private static final Map<String, TestNode> listeners = new ConcurrentHashMap<>();

    /** A node serving b.test with an s2s direct TLS listener, per TLS provider, started on first use. */
    private static TestNode listener(String provider) {
        return listeners.computeIfAbsent(provider, p -> TestNode.startServing("b.test", "tls.provider=\"" + p + "\"",
                "federation.enabled=true", "federation.bind=\"127.0.0.1\"", "federation.port=0",
                "federation.direct_tls_port=" + TestNode.freePort(), "federation.auth=\"dialback\""));
    }

    @AfterAll
    static void stop() {
        listeners.values().forEach(TestNode::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bc", "jdk"})
    void theListenerSelectsXmppServerWhenOffered(String provider) throws Exception {
        try (SSLSocket socket = directTls(listener(provider), "xmpp-server")) {
            socket.startHandshake();

            assertThat(socket.getApplicationProtocol()).isEqualTo("xmpp-server");
            assertThat(featuresAfterHeader(socket)).contains("<stream:features");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bc", "jdk"})
    void aPeerOfferingNoAlpnIsServedAsBefore(String provider) throws Exception {
        try (SSLSocket socket = directTls(listener(provider))) {
            socket.startHandshake();

            assertThat(socket.getApplicationProtocol()).isEmpty();
            assertThat(featuresAfterHeader(socket)).contains("<stream:features");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bc", "jdk"})
    void aPeerOfferingOnlyOtherProtocolsIsRefused(String provider) throws Exception {
        try (SSLSocket socket = directTls(listener(provider), "xmpp-client", "h2")) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("no_application_protocol");
        }
    }

    @Test
    void aLinkToADirectTlsTargetOffersXmppServer() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create("ALPN test CA");
        try (SSLServerSocket peer = (SSLServerSocket) ca.serverContext("peer.test").getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            List<String> offered = new CopyOnWriteArrayList<>();
            CompletableFuture<SSLSocket> handshaken = CompletableFuture.supplyAsync(() -> {
                try {
                    SSLSocket accepted = (SSLSocket) peer.accept();
                    accepted.setHandshakeApplicationProtocolSelector((s, protocols) -> {
                        offered.addAll(protocols);
                        return protocols.contains("xmpp-server") ? "xmpp-server" : null;
                    });
                    accepted.startHandshake();
                    return accepted;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (LoopbackDnsServer dns = new LoopbackDnsServer()
                    .srv("_xmpps-server._tcp.peer.test", 0, 0, peer.getLocalPort(), "xmpps.peer.test")
                    .a("xmpps.peer.test", "127.0.0.1");
                 TestNode a = TestNode.startServing("a.test", "federation.enabled=true",
                         "federation.bind=\"127.0.0.1\"", "federation.port=" + TestNode.freePort(),
                         "federation.direct_tls_port=0", "federation.dns=true",
                         "federation.dns_servers=[\"127.0.0.1:" + dns.address().getPort() + "\"]")) {
                a.createUser("alice", "alice-secret");
                XMPPTCPConnection alice = SmackClients.login(a, "alice", "alice-secret", "phone");
                try {
                    alice.sendStanza(alice.getStanzaFactory().buildMessageStanza()
                            .to(JidCreate.from("bob@peer.test")).setBody("over direct TLS").build());

                    try (SSLSocket link = handshaken.get(20, TimeUnit.SECONDS)) {
                        assertThat(offered).containsExactly("xmpp-server");
                        assertThat(link.getApplicationProtocol()).isEqualTo("xmpp-server");
                        assertThat(((ExtendedSSLSession) link.getSession()).getRequestedServerNames())
                                .containsExactly(new SNIHostName("peer.test"));
                    }
                } finally {
                    alice.disconnect();
                }
            }
        }
    }

    /** A TLS connection to the node's s2s direct TLS port offering {@code protocols} with ALPN, not yet handshaken. */
    private static SSLSocket directTls(TestNode node, String... protocols) throws IOException {
        SSLSocket socket = (SSLSocket) node.clientSslContext().getSocketFactory()
                .createSocket("127.0.0.1", node.node().module(org.skerry.federation.FederationModule.class)
                        .orElseThrow().directTlsPort());
        socket.setSoTimeout(10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(node.domain())));
        parameters.setApplicationProtocols(protocols);
        socket.setSSLParameters(parameters);
        return socket;
    }

    /** Opens a stream as peer x.test and returns what the node answered up to its features. */
    private static String featuresAfterHeader(SSLSocket socket) throws IOException {
        socket.getOutputStream().write(("<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
                + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
                + " from='x.test' to='b.test' version='1.0'>").getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!received.toString(StandardCharsets.UTF_8).contains("</stream:features>")) {
            int count;
            try {
                count = in.read(buffer);
            } catch (SocketTimeoutException e) {
                break;
            }
            if (count < 0) {
                break;
            }
            received.write(buffer, 0, count);
        }
        return received.toString(StandardCharsets.UTF_8);
    }
}
