package org.skerry.interop.console;

import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/** Raw TLS from the outside: which certificate a port presents, and clients that trust only given certificates. */
final class TlsProbe {
    private TlsProbe() {}

    /** The leaf certificate a new TLS connection to this loopback port is shown (accepting any, to see what is there). */
    static X509Certificate presented(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new ExtendedTrust(null)}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** PKIX trust in exactly these anchors (a CA, or a self-signed certificate itself), host names checked by the caller. */
    static X509TrustManager trustManager(X509Certificate... anchors) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                store.setCertificateEntry("anchor-" + i, anchors[i]);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A context that validates the server's chain against these anchors but not its host name: the console is reached
     * at 127.0.0.1 while the certificate names the XMPP domain (as HttpListener's own SNI setting says).
     */
    static SSLContext trusting(X509Certificate... anchors) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ExtendedTrust(trustManager(anchors))}, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Delegates chain validation (or accepts any chain when {@code pkix} is null); never matches host names. */
    private static final class ExtendedTrust extends X509ExtendedTrustManager {
        private final X509TrustManager pkix;

        ExtendedTrust(X509TrustManager pkix) { this.pkix = pkix; }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (pkix != null) {
                pkix.checkServerTrusted(chain, authType);
            }
        }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client only");
        }

        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
