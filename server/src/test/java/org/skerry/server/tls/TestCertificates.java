package org.skerry.server.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates and key files for tests, made independently of the production generator. */
final class TestCertificates {
    private TestCertificates() {}

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static KeyPair rsaKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    static KeyPair ed25519KeyPair() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    /** A self-signed certificate for {@code name} signed with {@code signatureAlgorithm}. */
    static X509Certificate selfSigned(KeyPair keyPair, String name, String signatureAlgorithm) throws Exception {
        return issue(keyPair, name, keyPair, name, signatureAlgorithm, false);
    }

    /** A CA certificate. */
    static X509Certificate ca(KeyPair keyPair, String name) throws Exception {
        return issue(keyPair, name, keyPair, name, "SHA256withECDSA", true);
    }

    /** A leaf for {@code name} issued by {@code issuerName} / {@code issuerKeys}. */
    static X509Certificate issued(KeyPair subjectKeys, String name, KeyPair issuerKeys, String issuerName)
            throws Exception {
        return issue(subjectKeys, name, issuerKeys, issuerName, "SHA256withECDSA", false);
    }

    private static X509Certificate issue(KeyPair subjectKeys, String name, KeyPair issuerKeys, String issuerName,
                                         String signatureAlgorithm, boolean ca) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                new X500Name("CN=" + issuerName), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=" + name), subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
        }
        JcaContentSignerBuilder signer = new JcaContentSignerBuilder(signatureAlgorithm);
        if (signatureAlgorithm.contains("MGF1")) {
            signer.setProvider(BC); // RSASSA-PSS with explicit parameters
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer.build(issuerKeys.getPrivate())));
    }

    /** PEM text of certificates, keys (traditional OpenSSL form) or PKCS#8 generators, in order. */
    static String pem(Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object instanceof PKCS8Generator generator ? generator.generate() : object);
            }
        }
        return text.toString();
    }

    static PKCS8Generator pkcs8(PrivateKey key) throws Exception {
        return new JcaPKCS8Generator(key, null);
    }

    static PKCS8Generator encryptedPkcs8(PrivateKey key, String password) throws Exception {
        return new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(BC).setPassword(password.toCharArray()).build());
    }

    /**
     * An "EC PRIVATE KEY" (SEC 1) block as OpenSSL writes it, with the curve and public key inside. (The JDK's
     * own encoding leaves the curve out of the SEC 1 structure, which no real tool does.)
     */
    static String sec1EcKey(KeyPair keyPair) throws IOException {
        java.security.interfaces.ECPrivateKey key = (java.security.interfaces.ECPrivateKey) keyPair.getPrivate();
        byte[] point = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded())
                .getPublicKeyData().getBytes();
        byte[] der = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(),
                new org.bouncycastle.asn1.DERBitString(point),
                org.bouncycastle.asn1.x9.X9ObjectIdentifiers.prime256v1).getEncoded();
        StringWriter text = new StringWriter();
        try (org.bouncycastle.util.io.pem.PemWriter writer = new org.bouncycastle.util.io.pem.PemWriter(text)) {
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", der));
        }
        return text.toString();
    }

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, text);
    }

    static Path writePkcs12(Path file, PrivateKey key, String password, X509Certificate... chain) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("node", key, password.toCharArray(), (Certificate[]) chain);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }
}
