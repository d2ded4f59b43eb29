package org.skerry.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSslEngine;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import org.bouncycastle.jsse.BCSSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TlsHandshakeTest {
    @TempDir Path dataDir;

    private TlsManager start(String provider, String protocol) throws TlsConfigException {
        return TlsManager.start(new TlsSettings(null, null, "", provider, List.of(protocol), Duration.ZERO,
                dataDir, List.of("node.test")), null);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"bc, TLSv1.3", "bc, TLSv1.2", "jdk, TLSv1.3", "jdk, TLSv1.2"})
    void loopbackHandshakeWithEachProviderAndProtocol(String provider, String protocol) throws Exception {
        try (TlsManager manager = start(provider, protocol);
             TlsTestSupport.LoopbackServer server = new TlsTestSupport.LoopbackServer(manager::serverContext)) {
            TlsTestSupport.Seen seen = server.connect(protocol);
            assertThat(seen.protocol()).isEqualTo(protocol);
            assertThat(seen.serverCertificate()).isEqualTo(manager.certificate());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bc", "jdk", "openssl"})
    void serverOnlySpeaksTheConfiguredProtocols(String provider) throws Exception {
        try (TlsManager manager = start(provider, "TLSv1.3");
             TlsTestSupport.LoopbackServer server = new TlsTestSupport.LoopbackServer(manager::serverContext)) {
            assertThatThrownBy(() -> server.connect("TLSv1.2")).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void openSslServesClientConnectionsAndBouncyCastleFederation() throws Exception {
        try (TlsManager manager = start("openssl", "TLSv1.3");
             TlsTestSupport.LoopbackServer server = new TlsTestSupport.LoopbackServer(manager::serverContext)) {
            assertThat(manager.serverContext().newEngine(ByteBufAllocator.DEFAULT)).isInstanceOf(OpenSslEngine.class);
            assertThat(manager.serverContextRequestingClientCert().newEngine(ByteBufAllocator.DEFAULT))
                    .isInstanceOf(BCSSLEngine.class);
            assertThat(manager.clientContext(null).newEngine(ByteBufAllocator.DEFAULT)).isInstanceOf(BCSSLEngine.class);
            server.connect("TLSv1.3");
            assertThat(manager.serverContext().sessionContext().getSessionCacheSize())
                    .as("BoringSSL's default of 20480 sessions, one per full handshake, is cut to the recent ones")
                    .isEqualTo(SslContexts.SESSION_CACHE_SIZE);
            assertThat(((ReferenceCountedOpenSslContext) manager.serverContext()).getBioNonApplicationBufferSize())
                    .isEqualTo(SslContexts.BIO_NON_APPLICATION_BUFFER_SIZE);
        }
    }

    @Test
    void bouncyCastleProviderReallyServesTheConnection() throws Exception {
        try (TlsManager bc = start("bc", "TLSv1.3"); TlsManager jdk = start("jdk", "TLSv1.3")) {
            assertThat(bc.serverContext().newEngine(ByteBufAllocator.DEFAULT)).isInstanceOf(BCSSLEngine.class);
            assertThat(jdk.serverContext().newEngine(ByteBufAllocator.DEFAULT)).isNotInstanceOf(BCSSLEngine.class);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"bc, TLSv1.3", "bc, TLSv1.2", "jdk, TLSv1.3", "jdk, TLSv1.2"})
    void s2sContextsExchangeCertificatesBothWays(String provider, String protocol) throws Exception {
        Path otherDir = dataDir.resolve("other");
        try (TlsManager receiving = start(provider, protocol);
             TlsManager initiating = TlsManager.start(new TlsSettings(null, null, "", provider, List.of(protocol),
                     Duration.ZERO, otherDir, List.of("peer.test")), null)) {
            SSLEngine server = receiving.serverContextRequestingClientCert().newEngine(ByteBufAllocator.DEFAULT);
            SSLEngine client = initiating.clientContext(null).newEngine(ByteBufAllocator.DEFAULT, "node.test", 5269);
            TlsTestSupport.handshake(client, server);
            assertThat(server.getSession().getProtocol()).isEqualTo(protocol);
            assertThat(server.getSession().getPeerCertificates()[0]).isEqualTo(initiating.certificate());
            assertThat(client.getSession().getPeerCertificates()[0]).isEqualTo(receiving.certificate());
        }
    }

    @Test
    void c2sContextDoesNotAskForClientCertificatesAndS2sMakesThemOptional() throws Exception {
        try (TlsManager manager = start("bc", "TLSv1.3")) {
            SSLEngine c2s = manager.serverContext().newEngine(ByteBufAllocator.DEFAULT);
            assertThat(c2s.getWantClientAuth()).isFalse();
            assertThat(c2s.getNeedClientAuth()).isFalse();
            SSLEngine s2s = manager.serverContextRequestingClientCert().newEngine(ByteBufAllocator.DEFAULT);
            assertThat(s2s.getWantClientAuth()).isTrue();
            assertThat(s2s.getNeedClientAuth()).isFalse();

            // A client without a certificate still gets through.
            SSLEngine server = manager.serverContextRequestingClientCert().newEngine(ByteBufAllocator.DEFAULT);
            SSLEngine anonymousClient = io.netty.handler.ssl.SslContextBuilder.forClient()
                    .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE)
                    .build().newEngine(ByteBufAllocator.DEFAULT);
            TlsTestSupport.handshake(anonymousClient, server);
            assertThatThrownBy(() -> server.getSession().getPeerCertificates())
                    .isInstanceOf(SSLPeerUnverifiedException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bc", "jdk"})
    void clientContextHonoursTheGivenTrust(String provider) throws Exception {
        Path otherDir = dataDir.resolve("other");
        try (TlsManager server = start(provider, "TLSv1.3");
             TlsManager client = TlsManager.start(new TlsSettings(null, null, "", provider, null, Duration.ZERO,
                     otherDir, List.of("peer.test")), null)) {
            TrustManagerFactory trustsServer = trusting(server.certificate());
            TlsTestSupport.handshake(client.clientContext(trustsServer).newEngine(ByteBufAllocator.DEFAULT),
                    server.serverContext().newEngine(ByteBufAllocator.DEFAULT));
            assertThat(client.clientContext(trustsServer)).as("cached per factory")
                    .isSameAs(client.clientContext(trustsServer));

            TrustManagerFactory trustsSomeoneElse = trusting(client.certificate());
            assertThatThrownBy(() -> TlsTestSupport.handshake(
                    client.clientContext(trustsSomeoneElse).newEngine(ByteBufAllocator.DEFAULT),
                    server.serverContext().newEngine(ByteBufAllocator.DEFAULT)))
                    .isInstanceOf(SSLException.class);
        }
    }

    private static TrustManagerFactory trusting(X509Certificate certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("trusted", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }
}
