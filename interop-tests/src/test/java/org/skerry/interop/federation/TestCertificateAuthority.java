package org.skerry.interop.federation;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority for tests: its certificate goes into {@code federation.trust_anchors}, and the
 * certificates it issues prove a domain the way a public CA's would.
 */
public final class TestCertificateAuthority {
    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCertificateAuthority(KeyPair keys, X509Certificate certificate) {
        this.keys = keys;
        this.certificate = certificate;
    }

    public static TestCertificateAuthority create(String name) throws Exception {
        KeyPair keys = newKeyPair();
        X500Name subject = new X500Name("CN=" + name + ",O=Skerry tests");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), notBefore(),
                notAfter(), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new TestCertificateAuthority(keys, sign(builder, keys));
    }

    /** The CA's own certificate, for a client's trust store. */
    public X509Certificate certificate() { return certificate; }

    /** Writes the CA certificate as PEM, for federation.trust_anchors. */
    Path writeCertificate(Path dir) throws IOException {
        Path file = dir.resolve("test-ca.pem");
        Files.writeString(file, pem(certificate), StandardCharsets.US_ASCII);
        return file;
    }

    /**
     * Issues a certificate naming {@code domain} as SAN dNSName only, with the serverAuth usage and without
     * clientAuth, like public CAs issue them now; writes the chain and key as {@code DOMAIN.pem} and
     * {@code DOMAIN-key.pem} into {@code dir}.
     */
    public PemPair issue(String domain, Path dir) throws Exception {
        return issue(domain, dir, KeyPurposeId.id_kp_serverAuth);
    }

    /**
     * Like {@link #issue}, but with the clientAuth usage too, as public CAs issued them until 2026: what a peer that
     * still demands it of a connecting server needs to see.
     */
    PemPair issueWithClientAuth(String domain, Path dir) throws Exception {
        return issue(domain, dir, KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
    }

    private PemPair issue(String domain, Path dir, KeyPurposeId... usages) throws Exception {
        Issued issued = issue("CN=" + domain, domain, notBefore(), notAfter(), usages);
        PemPair pair = new PemPair(dir.resolve(domain + ".pem"), dir.resolve(domain + "-key.pem"));
        Files.writeString(pair.certificate(), issued.chainPem(), StandardCharsets.US_ASCII);
        Files.writeString(pair.privateKey(), issued.keyPem(), StandardCharsets.US_ASCII);
        return pair;
    }

    /**
     * A serverAuth certificate for {@code subject} (an X.500 name) naming {@code dnsName}, valid between the two
     * instants, as PEM text: the chain (leaf, then the CA) and the leaf's key. For uploads, and for certificates that
     * are expired or name the wrong domain on purpose.
     */
    public Issued issue(String subject, String dnsName, Instant notBefore, Instant notAfter) throws Exception {
        return issue(subject, dnsName, Date.from(notBefore), Date.from(notAfter), KeyPurposeId.id_kp_serverAuth);
    }

    private Issued issue(String subject, String dnsName, Date notBefore, Date notAfter, KeyPurposeId... usages)
            throws Exception {
        KeyPair leafKeys = newKeyPair();
        X509Certificate leaf = leaf(subject, dnsName, notBefore, notAfter, leafKeys, usages);
        return new Issued(leaf, pem(leaf) + pem(certificate), pem(new JcaPKCS8Generator(leafKeys.getPrivate(), null).generate()));
    }

    /** A TLS server context presenting a certificate issued for {@code domain}, for a hand-made TLS server. */
    SSLContext serverContext(String domain) throws Exception {
        KeyPair leafKeys = newKeyPair();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        X509Certificate leaf = leaf("CN=" + domain, domain, notBefore(), notAfter(), leafKeys,
                KeyPurposeId.id_kp_serverAuth);
        store.setKeyEntry(domain, leafKeys.getPrivate(), password, new Certificate[] {leaf, certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        return context;
    }

    private X509Certificate leaf(String subject, String dnsName, Date notBefore, Date notAfter, KeyPair leafKeys,
                                 KeyPurposeId... usages) throws Exception {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), serial(), notBefore, notAfter,
                new X500Name(subject), leafKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usages));
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        return sign(builder, keys);
    }

    /** An issued certificate, its chain (leaf, then the CA) and its private key as PEM text. */
    public record Issued(X509Certificate leaf, String chainPem, String keyPem) {}

    /** A certificate file (leaf first, then the CA) and its key file. */
    public record PemPair(Path certificate, Path privateKey) {
        /** The --set lines that make a node present this pair. */
        public String[] settings() {
            return new String[] {"tls.certificate=\"" + certificate + "\"", "tls.private_key=\"" + privateKey + "\""};
        }
    }

    private static KeyPair newKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static BigInteger serial() { return new BigInteger(64, new SecureRandom()); }

    private static Date notBefore() { return Date.from(Instant.now().minus(Duration.ofHours(1))); }

    private static Date notAfter() { return Date.from(Instant.now().plus(Duration.ofDays(1))); }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }
}
