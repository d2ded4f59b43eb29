package org.skerry.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.skerry.server.tls.TestCertificates.pem;
import static org.skerry.server.tls.TestCertificates.pkcs8;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploading a certificate to a running TlsManager, regenerating the self-signed one, and going back to it. */
class CertificateUploadTest {
    private static final String DOMAIN = "node.test";

    @TempDir Path dataDir;

    private TlsManager start() throws TlsConfigException {
        return TlsManager.start(TlsSettings.selfSigned(dataDir, List.of(DOMAIN)), null);
    }

    @Test
    void aValidChainReplacesTheSelfSignedCertificateAndSurvivesARestart() throws Exception {
        KeyPair caKeys = TestCertificates.ecKeyPair();
        X509Certificate ca = TestCertificates.ca(caKeys, "Test CA");
        KeyPair leafKeys = TestCertificates.ecKeyPair();
        X509Certificate leaf = TestCertificates.issued(leafKeys, DOMAIN, caKeys, "Test CA");
        try (TlsManager manager = start();
             TlsTestSupport.LoopbackServer server = new TlsTestSupport.LoopbackServer(manager::serverContext)) {
            AtomicInteger reloads = new AtomicInteger();
            manager.addReloadListener(reloads::incrementAndGet);
            assertThat(manager.source()).isEqualTo(TlsManager.Source.SELF_SIGNED);

            // Admins paste chains in any order: the CA first here.
            manager.upload(pem(ca, leaf), pem(pkcs8(leafKeys.getPrivate())));

            assertThat(manager.source()).isEqualTo(TlsManager.Source.UPLOADED);
            assertThat(manager.certificateChain()).containsExactly(leaf, ca);
            assertThat(server.connect("TLSv1.3").serverCertificate()).isEqualTo(leaf);
            assertThat(reloads).hasValue(1);
            Path file = UploadedCertificates.file(dataDir);
            assertThat(manager.certificateFile()).isEqualTo(file);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.list(file.getParent())).as("no temporary files left").hasSize(3);

            // The periodic check must neither "renew" it as if it were the self-signed one nor reload it.
            manager.checkForChanges();
            assertThat(reloads).hasValue(1);
        }
        try (TlsManager again = start()) {
            assertThat(again.source()).isEqualTo(TlsManager.Source.UPLOADED);
            assertThat(again.certificate()).isEqualTo(leaf);
        }
    }

    @Test
    void refusedUploadsChangeNothing() throws Exception {
        KeyPair keys = TestCertificates.ecKeyPair();
        KeyPair otherKeys = TestCertificates.ecKeyPair();
        X509Certificate good = TestCertificates.selfSigned(keys, DOMAIN, "SHA256withECDSA");
        String key = pem(pkcs8(keys.getPrivate()));
        KeyPair caKeys = TestCertificates.ecKeyPair();
        X509Certificate unrelatedCa = TestCertificates.ca(caKeys, "Unrelated CA");
        try (TlsManager manager = start()) {
            X509Certificate before = manager.certificate();
            assertRefused(manager, "hello", key, "the certificate is not PEM");
            assertRefused(manager, pem(good), "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n",
                    "malformed PEM");
            assertRefused(manager, pem(good), "no key here", "the private key is not PEM");
            assertRefused(manager, pem(good), pem(pkcs8(otherKeys.getPrivate())), "the private key does not match");
            assertRefused(manager, pem(good), pem(TestCertificates.encryptedPkcs8(keys.getPrivate(), "pw")),
                    "the private key is encrypted");
            assertRefused(manager, pem(certificate(keys, DOMAIN, -3, -1)), key, "the certificate expired on");
            assertRefused(manager, pem(certificate(keys, DOMAIN, 1, 3)), key, "the certificate is not valid yet");
            assertRefused(manager, pem(TestCertificates.selfSigned(keys, "other.test", "SHA256withECDSA")), key,
                    "the certificate does not name node.test (it names other.test)");
            assertRefused(manager, pem(good, unrelatedCa), key, "which did not issue");

            assertThat(manager.certificate()).isEqualTo(before);
            assertThat(manager.source()).isEqualTo(TlsManager.Source.SELF_SIGNED);
            assertThat(UploadedCertificates.file(dataDir)).doesNotExist();
        }
    }

    @Test
    void aWildcardOrAnXmppAddrCoversTheDomain() throws Exception {
        KeyPair keys = TestCertificates.ecKeyPair();
        try (TlsManager manager = TlsManager.start(TlsSettings.selfSigned(dataDir, List.of("chat.node.test")), null)) {
            manager.upload(pem(certificate(keys, "*.node.test", -1, 30)), pem(pkcs8(keys.getPrivate())));
            assertThat(Certificates.dnsNames(manager.certificate())).containsExactly("*.node.test");
        }
    }

    @Test
    void regeneratingGivesANewKeyOnlyInSelfSignedMode() throws Exception {
        try (TlsManager manager = start()) {
            X509Certificate first = manager.certificate();
            manager.regenerateSelfSigned();
            X509Certificate second = manager.certificate();
            assertThat(second.getPublicKey()).isNotEqualTo(first.getPublicKey());
            assertThat(Certificates.xmppAddrs(second)).containsExactly(DOMAIN);

            KeyPair keys = TestCertificates.ecKeyPair();
            X509Certificate uploaded = TestCertificates.selfSigned(keys, DOMAIN, "SHA256withECDSA");
            manager.upload(pem(uploaded), pem(pkcs8(keys.getPrivate())));
            assertThatThrownBy(manager::regenerateSelfSigned).isInstanceOf(IllegalStateException.class);
            assertThat(manager.certificate()).isEqualTo(uploaded);

            // Removing the upload goes back to the self-signed certificate on disk, the regenerated one.
            manager.removeUploaded();
            assertThat(manager.source()).isEqualTo(TlsManager.Source.SELF_SIGNED);
            assertThat(manager.certificate()).isEqualTo(second);
            assertThat(UploadedCertificates.file(dataDir)).doesNotExist();
            assertThatThrownBy(manager::removeUploaded).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void configuredFilesAreNeitherReplacedNorRegenerated(@TempDir Path files) throws Exception {
        KeyPair keys = TestCertificates.ecKeyPair();
        X509Certificate configured = TestCertificates.selfSigned(keys, DOMAIN, "SHA256withECDSA");
        Path certificateFile = TestCertificates.write(files.resolve("fullchain.pem"), pem(configured));
        Path keyFile = TestCertificates.write(files.resolve("privkey.pem"), pem(pkcs8(keys.getPrivate())));
        try (TlsManager manager = TlsManager.start(new TlsSettings(certificateFile, keyFile, "", "bc", null,
                Duration.ZERO, dataDir, List.of(DOMAIN)), null)) {
            assertThat(manager.source()).isEqualTo(TlsManager.Source.CONFIGURED);
            assertThat(manager.certificateFile()).isEqualTo(certificateFile);
            KeyPair other = TestCertificates.ecKeyPair();
            assertThatThrownBy(() -> manager.upload(pem(TestCertificates.selfSigned(other, DOMAIN, "SHA256withECDSA")),
                    pem(pkcs8(other.getPrivate())))).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(manager::regenerateSelfSigned).isInstanceOf(IllegalStateException.class);
            assertThat(manager.certificate()).isEqualTo(configured);
            assertThat(UploadedCertificates.file(dataDir)).doesNotExist();
        }
    }

    private static void assertRefused(TlsManager manager, String chain, String key, String reason) {
        assertThatThrownBy(() -> manager.upload(chain, key)).isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(reason);
    }

    /** A self-signed certificate for {@code dnsName} valid from {@code fromDays} to {@code toDays} from now. */
    private static X509Certificate certificate(KeyPair keys, String dnsName, int fromDays, int toDays) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + dnsName.replace("*", "wildcard"));
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.plus(Duration.ofDays(fromDays))), Date.from(now.plus(Duration.ofDays(toDays))), name,
                keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
