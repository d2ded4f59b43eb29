package org.skerry.server.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What the {@code [tls]} section of the configuration says about certificates and TLS contexts.
 *
 * @param certificate    PEM or PKCS#12 file; {@code null} or an empty path means "generate a self-signed
 *                       certificate in {@code dataDir}"
 * @param privateKey     the PEM private key when {@code certificate} is PEM; {@code null} when the certificate
 *                       file holds the key too (ignored for PKCS#12)
 * @param password       PKCS#12 password, or the password of an encrypted PEM key; may be empty
 * @param provider       {@code "bc"} (BouncyCastle JSSE, the default), {@code "jdk"} (the runtime's SunJSSE) or
 *                       {@code "openssl"} (BoringSSL through netty-tcnative for client connections, BC for federation)
 * @param protocols      enabled protocol versions, a non-empty subset of {@code TLSv1.3} and {@code TLSv1.2}
 * @param reloadInterval how often the certificate files are checked for changes; {@link Duration#ZERO} disables it
 * @param dataDir        the node's data directory; the self-signed certificate lives in {@code dataDir/tls}
 * @param domains        the domains this node serves, named in the self-signed certificate
 */
public record TlsSettings(Path certificate, Path privateKey, String password, String provider,
                          List<String> protocols, Duration reloadInterval, Path dataDir, List<String> domains) {

    /** The provider names accepted in {@link #provider}. */
    public static final Set<String> PROVIDERS = Set.of("bc", "jdk", "openssl");

    /**
     * The protocol versions we allow. TLS 1.0 and 1.1 are deprecated by RFC 8996 and XEP-0368 / RFC 9325
     * require at least TLS 1.2, so they cannot be switched on by configuration.
     */
    public static final Set<String> SUPPORTED_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

    /** Validates and normalises; a bad value is a configuration error with a message that names the key. */
    public TlsSettings {
        password = password == null ? "" : password;
        provider = provider == null ? "bc" : provider.trim().toLowerCase(Locale.ROOT);
        if (!PROVIDERS.contains(provider)) {
            throw new IllegalArgumentException("tls.provider must be \"bc\", \"jdk\" or \"openssl\", not \"" + provider + "\"");
        }
        protocols = protocols == null || protocols.isEmpty() ? List.of("TLSv1.3", "TLSv1.2") : List.copyOf(protocols);
        for (String protocol : protocols) {
            if (!SUPPORTED_PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException(
                        "tls.protocols: \"" + protocol + "\" is not supported; use TLSv1.3 and/or TLSv1.2");
            }
        }
        reloadInterval = reloadInterval == null ? Duration.ZERO : reloadInterval;
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("tls.reload_interval must not be negative");
        }
        domains = domains == null ? List.of() : List.copyOf(domains);
        if (certificate != null && certificate.toString().isEmpty()) {
            certificate = null;
        }
        if (privateKey != null && privateKey.toString().isEmpty()) {
            privateKey = null;
        }
        if (certificate == null) {
            Objects.requireNonNull(dataDir, "data_dir is needed to store the self-signed certificate");
        }
    }

    /** Settings for a node with a self-signed certificate, BouncyCastle, TLS 1.3 and 1.2, no reload. */
    public static TlsSettings selfSigned(Path dataDir, List<String> domains) {
        return new TlsSettings(null, null, "", "bc", null, Duration.ZERO, dataDir, domains);
    }

    /** True when no certificate is configured, so one is generated. */
    public boolean isSelfSigned() {
        return certificate == null;
    }
}
