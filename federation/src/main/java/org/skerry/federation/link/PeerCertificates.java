package org.skerry.federation.link;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.skerry.server.tls.Certificates;

/**
 * Decides whether a certificate chain proves a domain (RFC 6120 §13.7.2, RFC 6125): PKIX to the JDK's trust store
 * or one of the node's own anchors, and the domain named as a SAN dNSName (a leading {@code *.} wildcard covers one
 * label), an XmppAddr or an SRV-ID. The path is validated without the JDK trust manager's extended key usage check,
 * so certificates without {@code clientAuth} are accepted (public CAs stopped issuing it, DESIGN.md §7).
 */
public final class PeerCertificates {
    private final Set<TrustAnchor> anchors = new HashSet<>();

    /** @param extraAnchors the node's own trust anchors besides the JDK's (a private CA; tests use a test CA) */
    public PeerCertificates(List<X509Certificate> extraAnchors) {
        for (X509Certificate anchor : jdkAnchors()) {
            anchors.add(new TrustAnchor(anchor, null));
        }
        for (X509Certificate anchor : extraAnchors) {
            anchors.add(new TrustAnchor(anchor, null));
        }
    }

    /** Null when the chain is valid for {@code domain}, else the reason it is not (for logs and link status). */
    public String whyNotValidFor(List<X509Certificate> chain, String domain) {
        if (chain == null || chain.isEmpty()) {
            return "no certificate";
        }
        if (!names(chain.get(0), domain)) {
            return "the certificate does not name " + domain;
        }
        String untrusted = whyNotTrusted(chain);
        return untrusted == null ? null : "the certificate is not trusted: " + untrusted;
    }

    /** Null when the chain leads to one of the anchors (validity dates included), else the PKIX reason. */
    public String whyNotTrusted(List<X509Certificate> chain) {
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false); // no OCSP/CRL fetches from the event loop
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(withoutRoot(chain)), parameters);
            return null;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    public boolean isValidFor(List<X509Certificate> chain, String domain) { return whyNotValidFor(chain, domain) == null; }

    /** A path handed to PKIX ends below its anchor; peers often send the self-signed root as well. */
    private static List<X509Certificate> withoutRoot(List<X509Certificate> chain) {
        X509Certificate last = chain.get(chain.size() - 1);
        boolean selfIssued = last.getSubjectX500Principal().equals(last.getIssuerX500Principal());
        return chain.size() > 1 && selfIssued ? chain.subList(0, chain.size() - 1) : chain;
    }

    /** Whether the certificate names the domain as SAN dNSName (or its wildcard), XmppAddr or SRV-ID. */
    public static boolean names(X509Certificate leaf, String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        List<String> dnsNames = Certificates.dnsNames(leaf);
        if (dnsNames.contains(lower) || Certificates.xmppAddrs(leaf).contains(lower)
                || Certificates.srvNames(leaf).contains("_xmpp-server." + lower)) {
            return true;
        }
        int dot = lower.indexOf('.');
        return dot > 0 && dnsNames.contains("*" + lower.substring(dot));
    }

    private static X509Certificate[] jdkAnchors() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (var manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509.getAcceptedIssuers();
                }
            }
            return new X509Certificate[0];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the JDK trust store: " + e.getMessage(), e);
        }
    }

    /** The certificate chain the peer presented on a TLS session, leaf first; empty when it presented none. */
    static List<X509Certificate> chainOf(javax.net.ssl.SSLSession session) {
        try {
            List<X509Certificate> chain = new java.util.ArrayList<>();
            for (var certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return chain;
        } catch (javax.net.ssl.SSLPeerUnverifiedException noCertificate) {
            return List.of();
        }
    }
}
