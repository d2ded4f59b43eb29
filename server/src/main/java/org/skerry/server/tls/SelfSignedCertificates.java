package org.skerry.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.IDN;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate a node uses when the admin configured none: generated on first start, kept in
 * {@code data_dir/tls}, reused on later starts so that clients which pinned it keep working, and replaced
 * only when it is about to expire or no longer names every served domain.
 *
 * <p>The key is EC P-256 (signed with ECDSA-SHA256), not RSA 2048: P-256 with ECDSA-SHA256 is mandatory to
 * implement in TLS 1.3 (RFC 8446 §9.1) and supported by every TLS 1.2 stack XMPP clients use, the key is
 * generated instantly (RSA 2048 takes up to a second), handshakes are smaller and faster, and the
 * {@code tls-server-end-point} channel binding is a plain SHA-256 of the certificate.
 */
final class SelfSignedCertificates {
    private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificates.class);

    static final String CERTIFICATE_FILE = "selfsigned.pem";
    static final String KEY_FILE = "selfsigned-key.pem";

    /** One year: short enough that a leaked key does not live forever, long enough to be no chore. */
    static final Duration VALIDITY = Duration.ofDays(365);

    /** Renew this long before expiry, so that a periodic check never lets the node serve an expired one. */
    static final Duration RENEW_BEFORE = Duration.ofDays(1);

    private SelfSignedCertificates() {}

    /** The certificate file for a data directory. */
    static Path certificateFile(Path dataDir) {
        return dataDir.resolve("tls").resolve(CERTIFICATE_FILE);
    }

    /** The key file for a data directory. */
    static Path keyFile(Path dataDir) {
        return dataDir.resolve("tls").resolve(KEY_FILE);
    }

    /**
     * Makes sure a usable self-signed pair for these domains is on disk, generating one if there is none,
     * if it is unreadable, about to expire or names other domains. Returns the pair on disk.
     */
    static KeyMaterial ensure(Path dataDir, List<String> domains, Clock clock) throws TlsConfigException {
        if (domains.isEmpty()) {
            throw new TlsConfigException(null, "no domains configured: cannot name them in a self-signed certificate");
        }
        Path certificateFile = certificateFile(dataDir);
        Path keyFile = keyFile(dataDir);
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            try {
                KeyMaterial existing = KeyMaterialLoader.load(certificateFile, keyFile, "");
                String problem = whyNotReusable(existing.leaf(), domains, clock);
                if (problem == null) {
                    return existing;
                }
                log.info("Replacing the self-signed certificate in {}: {}", certificateFile.getParent(), problem);
            } catch (TlsConfigException e) {
                log.warn("Replacing the unreadable self-signed certificate: {}", e.getMessage());
            }
        }
        KeyMaterial generated = generate(domains, clock);
        store(generated, certificateFile, keyFile);
        log.info("Generated a self-signed certificate for {} in {}", domains, certificateFile);
        return generated;
    }

    /** Null when the certificate can be kept, else the reason to replace it (for the log). */
    static String whyNotReusable(X509Certificate certificate, List<String> domains, Clock clock) {
        Instant now = clock.instant();
        if (certificate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return "it expires on " + certificate.getNotAfter().toInstant();
        }
        if (certificate.getNotBefore().toInstant().isAfter(now.plus(Duration.ofHours(1)))) {
            return "it is not valid before " + certificate.getNotBefore().toInstant() + " (clock changed?)";
        }
        if (!new HashSet<>(Certificates.dnsNames(certificate)).equals(expectedDnsNames(domains))
                || !new HashSet<>(Certificates.xmppAddrs(certificate)).equals(new HashSet<>(domains))) {
            return "the configured domains changed to " + domains;
        }
        return null;
    }

    /** Each domain and its wildcard, in the ASCII (A-label) form that dNSName requires. */
    static Set<String> expectedDnsNames(List<String> domains) {
        Set<String> names = new LinkedHashSet<>();
        for (String domain : domains) {
            String ascii = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            names.add(ascii);
            names.add("*." + ascii);
        }
        return names;
    }

    /** A fresh EC P-256 key and a one-year certificate naming every domain as dNSName and XmppAddr. */
    static KeyMaterial generate(List<String> domains, Clock clock) throws TlsConfigException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keyPair = generator.generateKeyPair();

            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, "Skerry self-signed")
                    .addRDN(BCStyle.CN, IDN.toASCII(domains.get(0), IDN.ALLOW_UNASSIGNED))
                    .build();
            Instant now = clock.instant();
            // Backdated by an hour so that a peer whose clock is a little behind still accepts it.
            Date notBefore = Date.from(now.minus(Duration.ofHours(1)));
            Date notAfter = Date.from(now.plus(VALIDITY));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject, randomSerial(), notBefore, notAfter, subject, keyPair.getPublic());

            JcaX509ExtensionUtils extensionUtils = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            // clientAuth too: the node presents this certificate when it connects out to other servers.
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensionUtils.createSubjectKeyIdentifier(keyPair.getPublic()));
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(domains));

            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
            return new KeyMaterial(keyPair.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException | IllegalArgumentException e) {
            throw new TlsConfigException(null, "cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralNames subjectAltNames(List<String> domains) {
        List<GeneralName> names = new ArrayList<>();
        for (String dnsName : expectedDnsNames(domains)) {
            names.add(new GeneralName(GeneralName.dNSName, dnsName));
        }
        ASN1ObjectIdentifier xmppAddr = new ASN1ObjectIdentifier(Certificates.XMPP_ADDR_OID);
        for (String domain : new LinkedHashSet<>(domains)) {
            // RFC 6120 §13.7.1.4: the JID in its Unicode form, as UTF8String.
            names.add(new GeneralName(GeneralName.otherName, new OtherName(xmppAddr, new DERUTF8String(domain))));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** RFC 5280 §4.1.2.2: positive, at most 20 octets; random so that two nodes never collide. */
    private static BigInteger randomSerial() {
        return new BigInteger(127, new SecureRandom()).setBit(126);
    }

    /**
     * Writes the key first (owner-only permissions from creation, never readable by others even for a
     * moment), then the certificate, each through a temporary file and a rename so a crash never leaves a
     * half-written file behind.
     */
    static void store(KeyMaterial material, Path certificateFile, Path keyFile) throws TlsConfigException {
        Path directory = certificateFile.getParent();
        try {
            Files.createDirectories(directory);
            StringWriter keyPem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(keyPem)) {
                writer.writeObject(new JcaPKCS8Generator(material.privateKey(), null));
            }
            AtomicFiles.write(keyFile, keyPem.toString(), true);
            StringWriter certificatePem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(certificatePem)) {
                for (X509Certificate certificate : material.chain()) {
                    writer.writeObject(certificate);
                }
            }
            AtomicFiles.write(certificateFile, certificatePem.toString(), false);
        } catch (IOException e) {
            throw new TlsConfigException(directory, "cannot store the self-signed certificate: " + e.getMessage(), e);
        }
    }
}
