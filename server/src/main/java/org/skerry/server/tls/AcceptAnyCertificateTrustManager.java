package org.skerry.server.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts every certificate at the TLS layer. Used where the TLS handshake must succeed so that the XMPP layer
 * can decide: s2s verifies the peer's certificate against the domain it claims (RFC 6120 §13.7.2, XEP-0178)
 * after the stream header names that domain, and falls back to dialback when it does not verify.
 *
 * <p>It extends {@link X509ExtendedTrustManager} rather than implementing {@code X509TrustManager} because the
 * JDK wraps plain trust managers in one that adds its own algorithm and host name checks, which would reject
 * peers before the XMPP layer had a say.
 */
final class AcceptAnyCertificateTrustManager extends X509ExtendedTrustManager {
    static final AcceptAnyCertificateTrustManager INSTANCE = new AcceptAnyCertificateTrustManager();

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private AcceptAnyCertificateTrustManager() {}

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    /** Empty: the CertificateRequest names no CA, so a peer sends whatever certificate it has. */
    @Override public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}
