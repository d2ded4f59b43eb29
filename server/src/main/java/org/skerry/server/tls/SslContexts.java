package org.skerry.server.tls;

import java.security.Provider;
import java.security.SecureRandom;
import java.util.List;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Builds Netty {@link SslContext}s over the JDK engine API, with either BouncyCastle's JSSE provider or the
 * runtime's own. Netty's OpenSSL engine is not used: it would need native tcnative builds per platform,
 * and the channel bindings need the provider's Java API.
 */
final class SslContexts {
    private SslContexts() {}

    /** One BCJSSE instance for the whole process: creating one loads and self-tests its crypto. */
    private static final class BouncyCastleHolder {
        static final Provider PROVIDER = new BouncyCastleJsseProvider();
    }

    /**
     * Handed to every context explicitly: without one, BCJSSE asks the JCA for the "DEFAULT" SecureRandom,
     * which only exists when the BouncyCastle JCE provider is registered globally, and we do not register it.
     */
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The JSSE provider for a {@link TlsSettings#provider()} name; null means the runtime default. */
    static Provider jsseProvider(String name) {
        return "bc".equals(name) ? BouncyCastleHolder.PROVIDER : null;
    }

    /** A server context that does not ask for client certificates (c2s). */
    static SslContext server(KeyMaterial material, String provider, List<String> protocols) throws SSLException {
        return serverBuilder(material, provider, protocols).clientAuth(ClientAuth.NONE).build();
    }

    /**
     * A server context that asks for, but does not require, a client certificate, and accepts any at the TLS
     * level (s2s: SASL EXTERNAL verifies it against the peer's domain later).
     */
    static SslContext serverRequestingClientCertificate(KeyMaterial material, String provider, List<String> protocols)
            throws SSLException {
        return serverBuilder(material, provider, protocols)
                .clientAuth(ClientAuth.OPTIONAL)
                .trustManager(AcceptAnyCertificateTrustManager.INSTANCE)
                .build();
    }

    /**
     * A client context that presents our certificate (for SASL EXTERNAL on s2s) and trusts what
     * {@code trust} trusts, or anything when it is null. Host name verification is off: XMPP names peers by
     * domain through SAN dNSName, SRV-ID or XmppAddr (RFC 6125, RFC 6120 §13.7.2), which the federation code
     * checks after the handshake; Netty 4.2's default "HTTPS" check would reject valid XMPP certificates.
     */
    static SslContext client(KeyMaterial material, String provider, List<String> protocols, TrustManagerFactory trust)
            throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(protocols)
                .keyManager(material.privateKey(), material.chain())
                .secureRandom(RANDOM)
                .endpointIdentificationAlgorithm(null);
        Provider jsse = jsseProvider(provider);
        if (jsse != null) {
            builder.sslContextProvider(jsse);
        }
        if (trust == null) {
            builder.trustManager(AcceptAnyCertificateTrustManager.INSTANCE);
        } else {
            builder.trustManager(trust);
        }
        return builder.build();
    }

    private static SslContextBuilder serverBuilder(KeyMaterial material, String provider, List<String> protocols) {
        SslContextBuilder builder = SslContextBuilder.forServer(material.privateKey(), material.chain())
                .sslProvider(SslProvider.JDK)
                .secureRandom(RANDOM)
                .protocols(protocols);
        Provider jsse = jsseProvider(provider);
        if (jsse != null) {
            builder.sslContextProvider(jsse);
        }
        return builder;
    }
}
