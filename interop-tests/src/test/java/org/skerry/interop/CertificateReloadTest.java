package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * The node watches its PEM certificate and key (tls.reload_interval) and serves a renewed pair to new
 * connections without a restart, as after a Let's Encrypt renewal.
 */
class CertificateReloadTest {

    private record Pair(X509Certificate certificate, String certificatePem, String keyPem) {}

    @Test
    void aReplacedCertificateIsServedToNewConnectionsWithoutRestart() throws Exception {
        Path dir = Files.createTempDirectory("skerry-certs");
        Path certificateFile = dir.resolve("fullchain.pem");
        Path keyFile = dir.resolve("privkey.pem");
        Pair first = generate("first");
        Pair renewed = generate("renewed");
        replace(keyFile, first.keyPem());
        replace(certificateFile, first.certificatePem());

        try (TestNode node = TestNode.start("tls.certificate=\"" + certificateFile + "\"",
                "tls.private_key=\"" + keyFile + "\"", "tls.reload_interval=\"1s\"")) {
            SSLContext trustsBoth = trusting(first.certificate(), renewed.certificate());
            assertThat(presentedCertificate(node, trustsBoth)).isEqualTo(first.certificate());

            // Renewal tools write the key and then the certificate; in between the pair does not match.
            replace(keyFile, renewed.keyPem());
            replace(certificateFile, renewed.certificatePem());
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .until(() -> renewed.certificate().equals(presentedCertificate(node, trustsBoth)));

            // STARTTLS on the other port serves it too: a Smack client that trusts only the new certificate logs in.
            node.createUser("zoe", "zoe-secret");
            SmackClients.login(node, "zoe", "zoe-secret", "pc").disconnect();
            assertThat(node.node().tls().certificate()).isEqualTo(renewed.certificate());
        }
    }

    /** The leaf certificate a new direct-TLS (XEP-0368) connection is shown. */
    private static X509Certificate presentedCertificate(TestNode node, SSLContext context) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                node.directTlsPort())) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static SSLContext trusting(X509Certificate... certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        for (int i = 0; i < certificates.length; i++) {
            trust.setCertificateEntry("certificate-" + i, certificates[i]);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /** A self-signed EC certificate for the test domain, told apart by its organisation name. */
    private static Pair generate(String label) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + TestNode.DOMAIN + ",O=" + label);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, TestNode.DOMAIN)));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return new Pair(certificate, pem(certificate), pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    /** Writes a file the way renewal tools do: complete content moved into place in one step. */
    private static void replace(Path target, String content) throws IOException {
        Path temporary = Files.createTempFile(target.getParent(), "new", ".pem");
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
