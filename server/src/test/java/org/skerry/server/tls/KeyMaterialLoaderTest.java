package org.skerry.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.skerry.server.tls.TestCertificates.pem;
import static org.skerry.server.tls.TestCertificates.pkcs8;
import static org.skerry.server.tls.TestCertificates.write;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyMaterialLoaderTest {
    @TempDir Path dir;

    static KeyPair ecKeys;
    static X509Certificate ecCertificate;
    static KeyPair rsaKeys;
    static X509Certificate rsaCertificate;
    static KeyPair otherKeys;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ecKeys = TestCertificates.ecKeyPair();
        ecCertificate = TestCertificates.selfSigned(ecKeys, "ec.test", "SHA256withECDSA");
        rsaKeys = TestCertificates.rsaKeyPair();
        rsaCertificate = TestCertificates.selfSigned(rsaKeys, "rsa.test", "SHA256withRSA");
        otherKeys = TestCertificates.ecKeyPair();
    }

    private TlsManager startWith(Path certificate, Path key, String password) throws TlsConfigException {
        return TlsManager.start(new TlsSettings(certificate, key, password, "bc", null, Duration.ZERO, dir,
                List.of("ec.test")), null);
    }

    @Test
    void pemCertificateWithSeparatePkcs8Key() throws Exception {
        Path certificate = write(dir.resolve("cert.pem"), pem(ecCertificate));
        Path key = write(dir.resolve("key.pem"), pem(pkcs8(ecKeys.getPrivate())));
        try (TlsManager manager = startWith(certificate, key, "")) {
            assertThat(manager.certificate()).isEqualTo(ecCertificate);
        }
    }

    @Test
    void pemWithTraditionalRsaAndEcKeys() throws Exception {
        // "BEGIN RSA PRIVATE KEY" (PKCS#1) and "BEGIN EC PRIVATE KEY" (SEC 1), as openssl genrsa / ecparam write them.
        Path rsaKey = write(dir.resolve("rsa.key"), pem(rsaKeys.getPrivate()));
        assertThat(Files.readString(rsaKey)).contains("BEGIN RSA PRIVATE KEY");
        KeyMaterial rsa = KeyMaterialLoader.load(write(dir.resolve("rsa.crt"), pem(rsaCertificate)), rsaKey, "");
        assertThat(rsa.leaf()).isEqualTo(rsaCertificate);

        String ecKey = TestCertificates.sec1EcKey(ecKeys);
        assertThat(ecKey).contains("BEGIN EC PRIVATE KEY");
        String ecParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        KeyMaterial ec = KeyMaterialLoader.load(write(dir.resolve("ec.crt"), pem(ecCertificate)),
                write(dir.resolve("ec.key"), ecParameters + ecKey), "");
        assertThat(ec.leaf()).isEqualTo(ecCertificate);
    }

    @Test
    void keyAndChainInOneFileAreOrderedLeafFirst() throws Exception {
        KeyPair caKeys = TestCertificates.ecKeyPair();
        X509Certificate ca = TestCertificates.ca(caKeys, "Test CA");
        KeyPair leafKeys = TestCertificates.ecKeyPair();
        X509Certificate leaf = TestCertificates.issued(leafKeys, "node.test", caKeys, "Test CA");
        // CA first, then the key, then the leaf: the order admins sometimes produce by concatenating files.
        Path combined = write(dir.resolve("combined.pem"), pem(ca, pkcs8(leafKeys.getPrivate()), leaf));
        try (TlsManager manager = startWith(combined, null, "")) {
            assertThat(manager.certificateChain()).containsExactly(leaf, ca);
        }
    }

    @Test
    void encryptedPkcs8KeyWithPassword() throws Exception {
        Path certificate = write(dir.resolve("cert.pem"), pem(ecCertificate));
        Path key = write(dir.resolve("key.pem"), pem(TestCertificates.encryptedPkcs8(ecKeys.getPrivate(), "s3cret")));
        assertThat(KeyMaterialLoader.load(certificate, key, "s3cret").leaf()).isEqualTo(ecCertificate);
        assertThatThrownBy(() -> KeyMaterialLoader.load(certificate, key, "wrong"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(key.toString())
                .hasMessageContaining("wrong tls.password");
        assertThatThrownBy(() -> KeyMaterialLoader.load(certificate, key, ""))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("encrypted; set tls.password");
    }

    @Test
    void pkcs12WithPassword() throws Exception {
        Path store = TestCertificates.writePkcs12(dir.resolve("node.p12"), rsaKeys.getPrivate(), "changeit",
                rsaCertificate);
        try (TlsManager manager = startWith(store, null, "changeit")) {
            assertThat(manager.certificate()).isEqualTo(rsaCertificate);
        }
        // Recognised by content too, whatever its name.
        Path renamed = Files.copy(store, dir.resolve("node.bin"));
        assertThat(KeyMaterialLoader.load(renamed, null, "changeit").leaf()).isEqualTo(rsaCertificate);
    }

    @Test
    void pkcs12WithWrongPassword() throws Exception {
        Path store = TestCertificates.writePkcs12(dir.resolve("node.pfx"), ecKeys.getPrivate(), "changeit",
                ecCertificate);
        assertThatThrownBy(() -> startWith(store, null, "guess"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageStartingWith(store.toString())
                .hasMessageContaining("wrong password")
                .satisfies(e -> assertThat(((TlsConfigException) e).file()).isEqualTo(store));
        assertThatThrownBy(() -> startWith(store, null, ""))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("wrong password");
    }

    @Test
    void keyThatDoesNotMatchTheCertificate() throws Exception {
        Path certificate = write(dir.resolve("cert.pem"), pem(ecCertificate));
        Path otherKey = write(dir.resolve("other.pem"), pem(pkcs8(otherKeys.getPrivate())));
        assertThatThrownBy(() -> startWith(certificate, otherKey, ""))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining(otherKey.toString())
                .hasMessageContaining("does not match the certificate CN=ec.test");

        Path rsaKey = write(dir.resolve("rsa.pem"), pem(pkcs8(rsaKeys.getPrivate())));
        assertThatThrownBy(() -> startWith(certificate, rsaKey, ""))
                .hasMessageContaining("does not match");

        Path mixedStore = TestCertificates.writePkcs12(dir.resolve("mixed.p12"), otherKeys.getPrivate(), "pw",
                ecCertificate);
        assertThatThrownBy(() -> startWith(mixedStore, null, "pw"))
                .isInstanceOf(TlsConfigException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void missingAndUnreadableFiles() throws Exception {
        Path certificate = write(dir.resolve("cert.pem"), pem(ecCertificate));
        Path missing = dir.resolve("nope.pem");
        assertThatThrownBy(() -> startWith(missing, null, ""))
                .isInstanceOf(TlsConfigException.class)
                .hasMessage(missing + ": file not found");
        assertThatThrownBy(() -> startWith(certificate, missing, ""))
                .hasMessage(missing + ": file not found");
        assertThatThrownBy(() -> startWith(dir, null, ""))
                .hasMessageContaining("is a directory");
    }

    @Test
    void hostileAndMalformedContent() throws Exception {
        Path certificate = write(dir.resolve("cert.pem"), pem(ecCertificate));
        Path key = write(dir.resolve("key.pem"), pem(pkcs8(ecKeys.getPrivate())));

        assertThatThrownBy(() -> startWith(write(dir.resolve("empty.pem"), ""), key, ""))
                .isInstanceOf(TlsConfigException.class).hasMessageContaining("not a PEM file");
        assertThatThrownBy(() -> startWith(write(dir.resolve("text.pem"), "hello, I am not a certificate"), key, ""))
                .isInstanceOf(TlsConfigException.class).hasMessageContaining("not a PEM file");
        assertThatThrownBy(() -> startWith(write(dir.resolve("bad64.pem"),
                "-----BEGIN CERTIFICATE-----\n!!!!not*base64!!!!\n-----END CERTIFICATE-----\n"), key, ""))
                .isInstanceOf(TlsConfigException.class).hasMessageContaining("bad64.pem");
        assertThatThrownBy(() -> startWith(write(dir.resolve("junk.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAAAAAAAAAA\n-----END CERTIFICATE-----\n"), key, ""))
                .isInstanceOf(TlsConfigException.class).hasMessageContaining("junk.pem");
        String truncated = pem(ecCertificate);
        assertThatThrownBy(() -> startWith(write(dir.resolve("truncated.pem"),
                truncated.substring(0, truncated.length() / 2)), key, ""))
                .isInstanceOf(TlsConfigException.class).hasMessageContaining("truncated.pem");

        assertThatThrownBy(() -> startWith(key, null, ""))
                .as("a key file given as the certificate")
                .hasMessageContaining("no certificate found");
        assertThatThrownBy(() -> startWith(certificate, null, ""))
                .hasMessageContaining("no private key in this file and no tls.private_key configured");
        assertThatThrownBy(() -> startWith(certificate, certificate, ""))
                .hasMessageContaining("no private key found");
        Path twoKeys = write(dir.resolve("two.pem"), pem(pkcs8(ecKeys.getPrivate()), pkcs8(otherKeys.getPrivate())));
        assertThatThrownBy(() -> startWith(certificate, twoKeys, ""))
                .hasMessageContaining("2 private keys");

        byte[] store = Files.readAllBytes(TestCertificates.writePkcs12(dir.resolve("good.p12"),
                ecKeys.getPrivate(), "pw", ecCertificate));
        Path cut = dir.resolve("cut.p12");
        Files.write(cut, Arrays.copyOf(store, store.length / 2));
        assertThatThrownBy(() -> startWith(cut, null, "pw"))
                .isInstanceOf(TlsConfigException.class).hasMessageStartingWith(cut.toString());
        Path garbage = dir.resolve("garbage.pfx");
        Files.write(garbage, new byte[] {0x30, (byte) 0x82, 0x7f, 0x7f, 1, 2, 3});
        assertThatThrownBy(() -> startWith(garbage, null, "pw"))
                .isInstanceOf(TlsConfigException.class).hasMessageStartingWith(garbage.toString());
    }
}
