package org.skerry.server.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code [tls]}: the node's certificate and how TLS is negotiated.
 *
 * @param certificate    PEM chain or PKCS#12 (.p12/.pfx) file; empty = a self-signed one generated in data_dir
 * @param privateKey     PEM private key, when the certificate is PEM
 * @param password       PKCS#12 password
 * @param provider       JSSE provider
 * @param protocols      enabled protocol versions, most preferred first; only TLSv1.3 and TLSv1.2
 * @param reloadInterval how often the certificate files are checked for changes; zero = never
 */
public record TlsConfig(Optional<Path> certificate, Optional<Path> privateKey, String password, TlsProvider provider,
                        List<String> protocols, Duration reloadInterval) {

    /** The JSSE provider that runs the handshakes. */
    public enum TlsProvider {
        /** BouncyCastle JSSE (bctls): the same behaviour on every JDK. */
        BC,
        /** The JDK's own SunJSSE. */
        JDK,
        /**
         * BoringSSL through netty-tcnative for client connections (a fraction of the CPU per handshake and of the
         * memory per connection); federation links keep BouncyCastle, whose Java API their checks use.
         */
        OPENSSL
    }

    private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    public TlsConfig {
        protocols = List.copyOf(protocols);
    }

    /** True when no certificate is configured and the node uses a self-signed one from its data directory. */
    public boolean selfSigned() {
        return certificate.isEmpty();
    }

    static TlsConfig from(ResolvedValues v, String dataDir) throws ConfigException {
        Optional<Path> certificate = optionalPath(v, "tls.certificate", dataDir);
        Optional<Path> privateKey = optionalPath(v, "tls.private_key", dataDir);
        if (privateKey.isPresent()) {
            if (certificate.isEmpty()) {
                throw v.error("tls.private_key", "is set but tls.certificate is empty");
            }
            String certificateName = certificate.get().toString().toLowerCase(Locale.ROOT);
            if (certificateName.endsWith(".p12") || certificateName.endsWith(".pfx")) {
                throw v.error("tls.private_key", "must be empty when tls.certificate is a PKCS#12 file,"
                        + " which holds its own key");
            }
        }
        List<String> protocols = v.strings("tls.protocols");
        if (protocols.isEmpty()) {
            throw v.error("tls.protocols", "must name at least one protocol");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < protocols.size(); i++) {
            String protocol = protocols.get(i);
            if (!ALLOWED_PROTOCOLS.contains(protocol)) {
                throw v.error("tls.protocols", i, "\"" + protocol + "\" is not allowed; use \"TLSv1.3\" and/or \"TLSv1.2\"");
            }
            if (!seen.add(protocol)) {
                throw v.error("tls.protocols", i, "\"" + protocol + "\" is listed twice");
            }
        }
        return new TlsConfig(certificate, privateKey,
                v.string("tls.password"),
                v.choice("tls.provider", TlsProvider.class),
                protocols,
                v.duration("tls.reload_interval", true));
    }

    private static Optional<Path> optionalPath(ResolvedValues v, String key, String dataDir) throws ConfigException {
        String text = v.interpolated(key, dataDir);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(text));
        } catch (InvalidPathException invalid) {
            throw v.error(key, "is not a valid path: " + invalid.getMessage());
        }
    }

    /** Like the record's, but never prints the password into a log. */
    @Override
    public String toString() {
        return "TlsConfig[certificate=" + certificate + ", privateKey=" + privateKey + ", password="
                + (password.isEmpty() ? "" : "***") + ", provider=" + provider + ", protocols=" + protocols
                + ", reloadInterval=" + reloadInterval + "]";
    }
}
