package org.skerry.server.tls;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.jsse.BCSSLConnection;
import org.bouncycastle.jsse.BCSSLEngine;

/**
 * TLS channel-binding data for SCRAM {@code -PLUS} (RFC 5802 §6, XEP-0440): it ties a SASL exchange to the
 * TLS connection it runs over, so that a man in the middle who terminates TLS cannot relay the login.
 */
public final class ChannelBindings {
    private ChannelBindings() {}

    /** RFC 9266 §2: the exporter label, an empty context, 32 bytes. */
    static final String EXPORTER_LABEL = "EXPORTER-Channel-Binding";
    static final int EXPORTER_LENGTH = 32;

    /** Hash of each signature algorithm OID with a single hash; MD5 and SHA-1 are raised to SHA-256 (RFC 5929 §4.1). */
    private static final Map<String, String> HASH_BY_SIGNATURE_OID = Map.ofEntries(
            Map.entry("1.2.840.113549.1.1.4", "SHA-256"),   // md5WithRSAEncryption
            Map.entry("1.2.840.113549.1.1.5", "SHA-256"),   // sha1WithRSAEncryption
            Map.entry("1.2.840.113549.1.1.14", "SHA-224"),  // sha224WithRSAEncryption
            Map.entry("1.2.840.113549.1.1.11", "SHA-256"),  // sha256WithRSAEncryption
            Map.entry("1.2.840.113549.1.1.12", "SHA-384"),  // sha384WithRSAEncryption
            Map.entry("1.2.840.113549.1.1.13", "SHA-512"),  // sha512WithRSAEncryption
            Map.entry("1.2.840.10045.4.1", "SHA-256"),      // ecdsa-with-SHA1
            Map.entry("1.2.840.10045.4.3.1", "SHA-224"),    // ecdsa-with-SHA224
            Map.entry("1.2.840.10045.4.3.2", "SHA-256"),    // ecdsa-with-SHA256
            Map.entry("1.2.840.10045.4.3.3", "SHA-384"),    // ecdsa-with-SHA384
            Map.entry("1.2.840.10045.4.3.4", "SHA-512"),    // ecdsa-with-SHA512
            Map.entry("1.2.840.10040.4.3", "SHA-256"),      // dsa-with-sha1
            Map.entry("2.16.840.1.101.3.4.3.1", "SHA-224"), // dsa-with-sha224
            Map.entry("2.16.840.1.101.3.4.3.2", "SHA-256")); // dsa-with-sha256

    private static final String RSASSA_PSS_OID = "1.2.840.113549.1.1.10";

    /** Digest OIDs that can appear in RSASSA-PSS parameters. */
    private static final Map<String, String> HASH_BY_DIGEST_OID = Map.of(
            "1.3.14.3.2.26", "SHA-256",                   // SHA-1, raised to SHA-256
            "2.16.840.1.101.3.4.2.4", "SHA-224",
            "2.16.840.1.101.3.4.2.1", "SHA-256",
            "2.16.840.1.101.3.4.2.2", "SHA-384",
            "2.16.840.1.101.3.4.2.3", "SHA-512");

    /**
     * The hash that {@code tls-server-end-point} uses for this certificate, or empty when RFC 5929 leaves it
     * undefined (signature algorithms without a single hash, such as Ed25519): the server then must not offer
     * that binding type.
     */
    public static Optional<String> tlsServerEndPointHash(X509Certificate serverCertificate) {
        String oid = serverCertificate.getSigAlgOID();
        if (RSASSA_PSS_OID.equals(oid)) {
            try {
                byte[] parameters = serverCertificate.getSigAlgParams();
                // Absent parameters mean the RFC 4055 defaults, SHA-1, raised to SHA-256.
                String digestOid = parameters == null ? "1.3.14.3.2.26"
                        : RSASSAPSSparams.getInstance(parameters).getHashAlgorithm().getAlgorithm().getId();
                return Optional.ofNullable(HASH_BY_DIGEST_OID.get(digestOid));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(HASH_BY_SIGNATURE_OID.get(oid));
    }

    /**
     * RFC 5929 §4.1 {@code tls-server-end-point}: the hash of the server's DER certificate, with the hash of the
     * certificate's signature algorithm (MD5 and SHA-1 replaced by SHA-256). Works with every provider.
     *
     * @throws IllegalArgumentException when the binding is undefined for this certificate
     *                                  (see {@link #tlsServerEndPointHash})
     */
    public static byte[] tlsServerEndPoint(X509Certificate serverCertificate) {
        String hash = tlsServerEndPointHash(serverCertificate).orElseThrow(() -> new IllegalArgumentException(
                "tls-server-end-point is undefined for signature algorithm " + serverCertificate.getSigAlgName()));
        try {
            return MessageDigest.getInstance(hash).digest(serverCertificate.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash the certificate with " + hash, e);
        }
    }

    /**
     * RFC 9266 {@code tls-exporter}: 32 bytes exported with label "EXPORTER-Channel-Binding" and an empty
     * context, after the handshake is complete. Empty when it cannot be computed safely:
     * <ul>
     *   <li>BCJSSE (the "bc" provider): up to at least bctls 1.81 it destroys the exporter secret when the
     *       handshake completes, so {@code getChannelBinding("tls-exporter")} throws afterwards
     *       (bc-java issue #1535). The call is still made, so that a fixed BouncyCastle works unchanged;</li>
     *   <li>the runtime's provider has no exporter API (SunJSSE before Java 25; the code is compiled for 17 and
     *       finds {@code ExtendedSSLSession.exportKeyingMaterialData} by reflection);</li>
     *   <li>the connection is not TLS 1.3. RFC 9266 allows TLS 1.2 only with the extended master secret, which
     *       the JDK API does not let us check, so TLS 1.2 is excluded for every provider: one rule, and both
     *       sides of a connection then agree on whether the binding is offered;</li>
     *   <li>the handshake has not finished.</li>
     * </ul>
     * The same call works on either end of a connection.
     */
    public static Optional<byte[]> tlsExporter(SSLEngine engine) {
        SSLSession session = engine.getSession();
        if (session == null || !"TLSv1.3".equals(session.getProtocol())) {
            return Optional.empty();
        }
        if (unwrapNetty(engine) instanceof BCSSLEngine bcEngine) {
            return bouncyCastleExporter(bcEngine);
        }
        return jdkExporter(session);
    }

    /**
     * Netty wraps the provider's engine when ALPN is configured (as XEP-0368 direct TLS may do); its
     * {@code getWrappedEngine()} is public but on a package-private class, hence reflection. Best effort: an
     * engine that cannot be unwrapped is returned as it is.
     */
    private static SSLEngine unwrapNetty(SSLEngine engine) {
        SSLEngine current = engine;
        for (int depth = 0; depth < 4 && !(current instanceof BCSSLEngine); depth++) {
            try {
                Method getter = current.getClass().getMethod("getWrappedEngine");
                getter.setAccessible(true);
                if (!(getter.invoke(current) instanceof SSLEngine inner) || inner == current) {
                    break;
                }
                current = inner;
            } catch (ReflectiveOperationException | RuntimeException e) {
                break;
            }
        }
        return current;
    }

    private static Optional<byte[]> bouncyCastleExporter(BCSSLEngine engine) {
        BCSSLConnection connection = engine.getConnection();
        if (connection == null) {
            return Optional.empty();
        }
        try {
            byte[] binding = connection.getChannelBinding("tls-exporter");
            return binding == null || binding.length != EXPORTER_LENGTH ? Optional.empty() : Optional.of(binding);
        } catch (IllegalStateException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Java 25+: {@code ExtendedSSLSession.exportKeyingMaterialData(String, byte[], int)}; null before. */
    private static final Method JDK_EXPORT = findJdkExporter();

    private static Method findJdkExporter() {
        try {
            return ExtendedSSLSession.class.getMethod("exportKeyingMaterialData", String.class, byte[].class, int.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Optional<byte[]> jdkExporter(SSLSession session) {
        if (JDK_EXPORT == null || !(session instanceof ExtendedSSLSession)) {
            return Optional.empty();
        }
        try {
            Object exported = JDK_EXPORT.invoke(session, EXPORTER_LABEL, new byte[0], EXPORTER_LENGTH);
            return exported instanceof byte[] bytes && bytes.length == EXPORTER_LENGTH
                    ? Optional.of(bytes) : Optional.empty();
        } catch (InvocationTargetException | IllegalAccessException | RuntimeException e) {
            // UnsupportedOperationException or SSLKeyException from the provider: no binding, not an error.
            return Optional.empty();
        }
    }
}
