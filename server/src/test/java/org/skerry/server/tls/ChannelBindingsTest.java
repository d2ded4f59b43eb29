package org.skerry.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLEngine;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelBindingsTest {
    @TempDir Path dataDir;

    @Test
    void tlsServerEndPointOfAnEcdsaSha256CertificateIsSha256OfItsDer() throws Exception {
        X509Certificate certificate = TestCertificates.selfSigned(TestCertificates.ecKeyPair(), "node.test",
                "SHA256withECDSA");
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        assertThat(ChannelBindings.tlsServerEndPoint(certificate)).isEqualTo(expected).hasSize(32);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "SHA1withRSA, SHA-256",
            "SHA256withRSA, SHA-256",
            "SHA384withRSA, SHA-384",
            "SHA512withRSA, SHA-512",
            "SHA256withRSAandMGF1, SHA-256",
            "SHA384withRSAandMGF1, SHA-384"})
    void tlsServerEndPointFollowsTheRsaSignatureHash(String signatureAlgorithm, String hash) throws Exception {
        KeyPair keys = TestCertificates.rsaKeyPair();
        X509Certificate certificate = TestCertificates.selfSigned(keys, "node.test", signatureAlgorithm);
        assertThat(ChannelBindings.tlsServerEndPointHash(certificate)).contains(hash);
        assertThat(ChannelBindings.tlsServerEndPoint(certificate))
                .isEqualTo(MessageDigest.getInstance(hash).digest(certificate.getEncoded()));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"SHA1withECDSA, SHA-256", "SHA384withECDSA, SHA-384", "SHA512withECDSA, SHA-512"})
    void tlsServerEndPointFollowsTheEcdsaSignatureHash(String signatureAlgorithm, String hash) throws Exception {
        X509Certificate certificate = TestCertificates.selfSigned(TestCertificates.ecKeyPair(), "node.test",
                signatureAlgorithm);
        assertThat(ChannelBindings.tlsServerEndPoint(certificate))
                .isEqualTo(MessageDigest.getInstance(hash).digest(certificate.getEncoded()));
    }

    @Test
    void tlsServerEndPointIsUndefinedForEd25519() throws Exception {
        X509Certificate certificate = TestCertificates.selfSigned(TestCertificates.ed25519KeyPair(), "node.test",
                "Ed25519");
        assertThat(ChannelBindings.tlsServerEndPointHash(certificate)).isEmpty();
        assertThatThrownBy(() -> ChannelBindings.tlsServerEndPoint(certificate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("undefined");
    }

    private TlsManager start(String provider, String protocol) throws TlsConfigException {
        return TlsManager.start(new TlsSettings(null, null, "", provider, List.of(protocol), Duration.ZERO,
                dataDir, List.of("node.test")), null);
    }

    private record Connection(SSLEngine client, SSLEngine server) {}

    private static Connection connect(TlsManager manager) throws Exception {
        SSLEngine server = manager.serverContext().newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine client = manager.clientContext(null).newEngine(ByteBufAllocator.DEFAULT);
        TlsTestSupport.handshake(client, server);
        return new Connection(client, server);
    }

    @Test
    void tlsExporterWithBouncyCastleIsUnavailableBecauseBcDestroysTheExporterSecret() throws Exception {
        try (TlsManager manager = start("bc", "TLSv1.3")) {
            SSLEngine notYetConnected = manager.serverContext().newEngine(ByteBufAllocator.DEFAULT);
            assertThat(ChannelBindings.tlsExporter(notYetConnected)).isEmpty();

            Connection connection = connect(manager);
            assertThat(connection.server().getSession().getProtocol()).isEqualTo("TLSv1.3");
            Optional<byte[]> serverSide = ChannelBindings.tlsExporter(connection.server());
            Optional<byte[]> clientSide = ChannelBindings.tlsExporter(connection.client());
            // Whatever BouncyCastle can do, both ends must agree, or SCRAM-PLUS would fail for honest clients.
            assertThat(serverSide.isPresent()).isEqualTo(clientSide.isPresent());
            serverSide.ifPresent(value -> assertThat(value).hasSize(32).isEqualTo(clientSide.orElseThrow()));
            // bctls 1.81 clears the exporter secret at the end of the handshake (bc-java issue #1535). When an
            // upgrade makes this fail, tls-exporter works with BC: update this test and the javadoc.
            assertThat(serverSide).as("bctls tls-exporter after the handshake").isEmpty();

            // tls-server-end-point works with BC, and is the same for every connection to this certificate.
            assertThat(ChannelBindings.tlsServerEndPoint(
                    (X509Certificate) connection.client().getSession().getPeerCertificates()[0]))
                    .isEqualTo(ChannelBindings.tlsServerEndPoint(manager.certificate()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bc", "jdk"})
    void tlsExporterIsNotOfferedOnTls12(String provider) throws Exception {
        try (TlsManager manager = start(provider, "TLSv1.2")) {
            Connection connection = connect(manager);
            assertThat(connection.server().getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(ChannelBindings.tlsExporter(connection.server())).isEmpty();
            assertThat(ChannelBindings.tlsExporter(connection.client())).isEmpty();
        }
    }

    @Test
    void tlsExporterWithTheJdkProviderNeedsJava25() throws Exception {
        try (TlsManager manager = start("jdk", "TLSv1.3")) {
            SSLEngine notYetConnected = manager.serverContext().newEngine(ByteBufAllocator.DEFAULT);
            assertThat(ChannelBindings.tlsExporter(notYetConnected)).isEmpty();

            Connection first = connect(manager);
            Optional<byte[]> serverSide = ChannelBindings.tlsExporter(first.server());
            if (Runtime.version().feature() < 25) {
                assertThat(serverSide).as("SunJSSE before Java 25 has no exporter API").isEmpty();
                assertThat(ChannelBindings.tlsExporter(first.client())).isEmpty();
            } else {
                assertThat(serverSide.orElseThrow()).hasSize(32)
                        .isEqualTo(ChannelBindings.tlsExporter(first.client()).orElseThrow());
                Connection second = connect(manager);
                assertThat(ChannelBindings.tlsExporter(second.server()).orElseThrow())
                        .as("bound to one connection").isNotEqualTo(serverSide.get());
            }
        }
    }
}
