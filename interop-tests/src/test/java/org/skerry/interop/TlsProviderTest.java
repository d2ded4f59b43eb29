package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLSocket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every TLS provider (tls.provider = "bc", "jdk" or "openssl") serves STARTTLS to Smack and direct TLS with the chosen version. */
class TlsProviderTest {

    @ParameterizedTest
    @CsvSource({"bc,TLSv1.3", "bc,TLSv1.2", "jdk,TLSv1.3", "jdk,TLSv1.2", "openssl,TLSv1.3", "openssl,TLSv1.2"})
    void clientsLogInOverEachProviderAndVersion(String provider, String protocol) throws Exception {
        try (TestNode node = TestNode.start("tls.provider=\"" + provider + "\"")) {
            node.createUser("carol", "carol-secret");
            XMPPTCPConnection carol = SmackClients.login(node, "carol", "carol-secret", "desk");
            try {
                assertThat(carol.isSecureConnection()).isTrue();
                assertThat(carol.isAuthenticated()).isTrue();
            } finally {
                carol.disconnect();
            }
            try (SSLSocket socket = (SSLSocket) node.clientSslContext().getSocketFactory()
                    .createSocket("127.0.0.1", node.directTlsPort())) {
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
            }
        }
    }
}
