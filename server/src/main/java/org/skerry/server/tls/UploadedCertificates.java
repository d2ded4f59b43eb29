package org.skerry.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * A certificate an admin hands the running node (the console's upload): parsed from PEM text, checked before it
 * replaces anything, and kept as one owner-only file {@code data_dir/tls/uploaded.pem} holding the key and the
 * chain, so that one rename swaps both at once and a crash never leaves a key beside the wrong certificate.
 */
final class UploadedCertificates {
    static final String FILE = "uploaded.pem";

    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");

    private UploadedCertificates() {}

    static Path file(Path dataDir) {
        return dataDir.resolve("tls").resolve(FILE);
    }

    /** The key and its chain, leaf first; every refusal says what to fix. */
    static KeyMaterial parse(String chainPem, String keyPem) throws TlsConfigException {
        if (!chainPem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new TlsConfigException(null, "the certificate is not PEM: expected one or more blocks starting with"
                    + " \"-----BEGIN CERTIFICATE-----\" (leaf first, then intermediates)");
        }
        if (keyPem.contains("ENCRYPTED")) {
            throw new TlsConfigException(null, "the private key is encrypted: upload it without a passphrase (for"
                    + " example: openssl pkey -in key.pem -out plain-key.pem); the node stores it readable by itself only");
        }
        if (!PEM_PRIVATE_KEY.matcher(keyPem).find()) {
            throw new TlsConfigException(null, "the private key is not PEM: expected a block such as"
                    + " \"-----BEGIN PRIVATE KEY-----\", \"-----BEGIN EC PRIVATE KEY-----\" or \"-----BEGIN RSA PRIVATE KEY-----\"");
        }
        List<X509Certificate> certificates = KeyMaterialLoader.parsePem(null, ascii(chainPem), "").certificates();
        List<PrivateKey> keys = KeyMaterialLoader.parsePem(null, ascii(keyPem), "").privateKeys();
        if (certificates.isEmpty()) {
            throw new TlsConfigException(null, "no certificate could be read from the certificate PEM");
        }
        if (keys.size() != 1) {
            throw new TlsConfigException(null, "expected exactly one private key, found " + keys.size());
        }
        return new KeyMaterial(keys.get(0), KeyMaterialLoader.orderChain(null, keys.get(0), certificates));
    }

    /**
     * Refuses what would break clients or federation the moment it is served: a leaf that is not valid now, one
     * that does not name every domain of the node, or a chain whose certificates do not sign each other.
     */
    static void check(KeyMaterial material, List<String> domains, Instant now) throws TlsConfigException {
        X509Certificate leaf = material.leaf();
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new TlsConfigException(null, "the certificate is not valid yet: it starts on "
                    + leaf.getNotBefore().toInstant());
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new TlsConfigException(null, "the certificate expired on " + leaf.getNotAfter().toInstant());
        }
        List<String> dnsNames = Certificates.dnsNames(leaf);
        List<String> xmppAddrs = Certificates.xmppAddrs(leaf);
        List<String> missing = new ArrayList<>();
        for (String domain : domains) {
            if (!TlsManager.names(dnsNames, xmppAddrs, domain)) {
                missing.add(domain);
            }
        }
        if (!missing.isEmpty()) {
            Set<String> named = new LinkedHashSet<>(dnsNames);
            named.addAll(xmppAddrs);
            throw new TlsConfigException(null, "the certificate does not name " + String.join(", ", missing)
                    + " (it names " + (named.isEmpty() ? "no domain" : String.join(", ", named)) + "); clients and"
                    + " servers would refuse it for " + (missing.size() == 1 ? "that domain" : "those domains"));
        }
        checkChain(material.chain());
    }

    /** Each certificate after the leaf must be the issuer of the one before it and have signed it. */
    private static void checkChain(List<X509Certificate> chain) throws TlsConfigException {
        for (int i = 1; i < chain.size(); i++) {
            X509Certificate child = chain.get(i - 1);
            X509Certificate issuer = chain.get(i);
            if (!child.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                throw new TlsConfigException(null, "the chain holds " + issuer.getSubjectX500Principal().getName()
                        + ", which did not issue " + child.getSubjectX500Principal().getName()
                        + " (issued by " + child.getIssuerX500Principal().getName() + "); upload the leaf and its"
                        + " own intermediates only");
            }
            try {
                child.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new TlsConfigException(null, child.getSubjectX500Principal().getName()
                        + " is not signed by the key of " + issuer.getSubjectX500Principal().getName());
            }
        }
    }

    /** Key first, then the chain, in one file that only the node's user can read, swapped in by one rename. */
    static void store(KeyMaterial material, Path file) throws TlsConfigException {
        StringWriter pem = new StringWriter();
        try {
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(new JcaPKCS8Generator(material.privateKey(), null));
                for (X509Certificate certificate : material.chain()) {
                    writer.writeObject(certificate);
                }
            }
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, pem.toString(), true);
        } catch (IOException e) {
            throw new TlsConfigException(file, "cannot store the uploaded certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] ascii(String pem) {
        return pem.getBytes(StandardCharsets.US_ASCII);
    }
}
