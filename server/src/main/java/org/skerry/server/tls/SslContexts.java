package org.skerry.server.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * Builds Netty {@link SslContext}s over the JDK engine API, with either BouncyCastle's JSSE provider or the
 * runtime's own, or, for client connections only, Netty's OpenSSL engine (BoringSSL from netty-tcnative, shipped for
 * Linux, macOS and Windows on x86-64 and ARM64). Federation links always use a JSSE provider ("openssl" means
 * BouncyCastle there): their certificate checks and XEP-0368 ALPN go through the JSSE API.
 */
final class SslContexts {
    private SslContexts() {}

    /**
     * Handed to every context explicitly: without one, BCJSSE asks the JCA for the "DEFAULT" SecureRandom,
     * which only exists when the BouncyCastle JCE provider is registered globally, and we do not register it.
     */
    private static final SecureRandom RANDOM = new SecureRandom();

    static final String OPENSSL = "openssl";
    /** Sessions the BoringSSL c2s context keeps for resumption. */
    static final int SESSION_CACHE_SIZE = 2048;
    /** Bytes of native buffer per BoringSSL connection for TLS records written outside application writes. */
    static final int BIO_NON_APPLICATION_BUFFER_SIZE = 512;

    /** The JSSE provider for a {@link TlsSettings#provider()} name; null means the runtime default. */
    static Provider jsseProvider(String name) {
        return "bc".equals(name) || OPENSSL.equals(name) ? BouncyCastle.jsse() : null;
    }

    /** A server context that does not ask for client certificates (c2s). */
    static SslContext server(KeyMaterial material, String provider, List<String> protocols) throws SSLException {
        if (OPENSSL.equals(provider)) {
            return openSslServer(material, protocols);
        }
        return serverBuilder(material, provider, protocols).clientAuth(ClientAuth.NONE).build();
    }

    /**
     * BoringSSL: an ECDSA signature and an X25519 exchange cost it a small part of what they cost in Java, which is
     * most of a TLS login's CPU, and it keeps less state per connection.
     */
    private static SslContext openSslServer(KeyMaterial material, List<String> protocols) throws SSLException {
        if (!OpenSsl.isAvailable()) {
            throw new SSLException("tls.provider = \"openssl\" needs netty-tcnative's BoringSSL, which does not load"
                    + " on this platform: " + OpenSsl.unavailabilityCause());
        }
        SslContext context = SslContextBuilder.forServer(material.privateKey(),
                        material.chain().toArray(new X509Certificate[0]))
                .sslProvider(SslProvider.OPENSSL)
                .protocols(protocols)
                .clientAuth(ClientAuth.NONE)
                .build();
        // A smaller session cache than BoringSSL's 20480, which keeps a session per full handshake: a node with 10000
        // clients held them all. The most recent 2048 still let reconnecting clients resume (checked with the load
        // tool's --tls-resume: 49 of 50 sequential logins resumed).
        ((OpenSslSessionContext) context.sessionContext()).setSessionCacheSize(SESSION_CACHE_SIZE);
        // Netty gives each connection a native buffer of 2048 bytes for what BoringSSL writes outside a wrap (alerts,
        // session tickets), for the connection's whole life; 512 is enough for those and a larger write is only
        // split. Idle STARTTLS connections: 20.2 -> 18.7 KiB of RSS each (mean of runs, interop-tests/bench).
        ((ReferenceCountedOpenSslContext) context).setBioNonApplicationBufferSize(BIO_NON_APPLICATION_BUFFER_SIZE);
        return context;
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
        X509ExtendedKeyManager keys = (X509ExtendedKeyManager) keyManagerFactory(material, provider).getKeyManagers()[0];
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(protocols)
                .keyManager(new AnyUsageClientKeyManager(keys, material))
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

    private static SslContextBuilder serverBuilder(KeyMaterial material, String provider, List<String> protocols)
            throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(keyManagerFactory(material, provider))
                .sslProvider(SslProvider.JDK)
                .secureRandom(RANDOM)
                .protocols(protocols);
        Provider jsse = jsseProvider(provider);
        if (jsse != null) {
            builder.sslContextProvider(jsse);
        }
        return builder;
    }

    /**
     * The key manager of the same provider as the engine. Netty's default is the JDK's "SunX509" key manager,
     * which BCJSSE accepts but then finds no credential for an EC key ("no selectable cipher suite"), because
     * the two name key types differently; BCJSSE's own "PKIX" key manager speaks its language.
     */
    private static KeyManagerFactory keyManagerFactory(KeyMaterial material, String provider) throws SSLException {
        try {
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("node", material.privateKey(), password, material.chain().toArray(new Certificate[0]));
            Provider jsse = jsseProvider(provider);
            KeyManagerFactory factory = jsse != null
                    ? KeyManagerFactory.getInstance("PKIX", jsse)
                    : KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new SSLException("cannot set up the key manager: " + e.getMessage(), e);
        }
    }
}
