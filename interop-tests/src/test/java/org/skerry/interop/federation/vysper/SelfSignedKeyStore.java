package org.skerry.interop.federation.vysper;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A fresh self-signed certificate for one domain in a JKS keystore, the only format Vysper 0.7 loads. Its own
 * certificate rather than Vysper's shipped "bogus" one (512-bit RSA, CN=bogus.com), which today's TLS refuses and
 * which no client could match to the domain.
 */
public record SelfSignedKeyStore(X509Certificate certificate, byte[] jks, String password) {

    public static SelfSignedKeyStore forDomain(String domain) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=" + domain);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(1))), subject, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, domain)));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));

            String password = "vysper-test";
            KeyStore keyStore = KeyStore.getInstance("JKS");
            keyStore.load(null, null);
            keyStore.setKeyEntry(domain, pair.getPrivate(), password.toCharArray(), new X509Certificate[] {certificate});
            ByteArrayOutputStream jks = new ByteArrayOutputStream();
            keyStore.store(jks, password.toCharArray());
            return new SelfSignedKeyStore(certificate, jks.toByteArray(), password);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a certificate for " + domain, e);
        }
    }
}
