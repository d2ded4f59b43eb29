package org.skerry.console.certificates;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.skerry.console.web.WebError;
import org.skerry.server.tls.Certificates;
import org.skerry.server.tls.TlsConfigException;
import org.skerry.server.tls.TlsManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the certificates page and {@code /api/v1/certificates} do: show the node's certificate, install an uploaded
 * one, regenerate the self-signed one, go back to it. Every change goes through {@link TlsManager}, which checks it
 * before it replaces anything and switches c2s, s2s and HTTPS for new connections without a restart.
 */
public final class CertificateOperations {
    private static final Logger log = LoggerFactory.getLogger(CertificateOperations.class);
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);
    static final int MAX_KEY_LENGTH = 64 * 1024;

    /**
     * The leaf certificate as an admin checks it. Times are ISO-8601 text; {@code signedBy} is the issuer's name
     * (jackson-jr reads any accessor starting with "is", such as {@code issuer()}, as an "is" getter: "suer").
     */
    public record CertificateView(String subject, List<String> dnsNames, List<String> xmppAddrs, String signedBy,
                                  String serial, String notBefore, String notAfter, long daysLeft,
                                  boolean expiryWarning, boolean selfSigned, String sha256Fingerprint, int chainLength) {}

    /**
     * The certificate in use and what may be done: {@code source} is {@code self-signed}, {@code uploaded} or
     * {@code configured}; a refusal is null when the operation is allowed, else the sentence that says why not.
     */
    public record CertificateState(CertificateView certificate, String source, String file, List<String> domains,
                                   String uploadRefusal, String regenerateRefusal, boolean uploaded) {}

    private final TlsManager tls;
    private final List<String> domains;
    private final Clock clock;

    public CertificateOperations(TlsManager tls, List<String> domains, Clock clock) {
        this.tls = tls;
        this.domains = List.copyOf(domains);
        this.clock = clock;
    }

    public CertificateState state() {
        X509Certificate leaf = tls.certificate();
        Instant now = clock.instant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        CertificateView view = new CertificateView(leaf.getSubjectX500Principal().getName(),
                Certificates.dnsNames(leaf), Certificates.xmppAddrs(leaf), leaf.getIssuerX500Principal().getName(),
                leaf.getSerialNumber().toString(16).toUpperCase(Locale.ROOT), leaf.getNotBefore().toInstant().toString(),
                notAfter.toString(),
                Duration.between(now, notAfter).toDays(), Duration.between(now, notAfter).compareTo(EXPIRY_WARNING) < 0,
                isSelfSigned(leaf), Certificates.sha256Fingerprint(leaf), tls.certificateChain().size());
        TlsManager.Source source = tls.source();
        return new CertificateState(view, source.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                tls.certificateFile().toString(), domains, uploadRefusal(source), regenerateRefusal(source),
                source == TlsManager.Source.UPLOADED);
    }

    /** Checks and installs a PEM chain (leaf first or in any order) and its unencrypted PEM key. */
    public CertificateState upload(String admin, String chainPem, String keyPem) throws WebError {
        String refusal = uploadRefusal(tls.source());
        if (refusal != null) {
            throw WebError.conflict(refusal);
        }
        try {
            tls.upload(chainPem, keyPem);
        } catch (TlsConfigException e) {
            throw e.file() == null ? new WebError(400, "invalid-certificate", "Not installed: " + e.reason() + ".")
                    : new WebError(500, "internal", "Not installed: " + e.getMessage());
        } catch (IllegalStateException raced) {
            throw WebError.conflict(uploadRefusal(tls.source()));
        }
        log.info("{} uploaded the certificate {} (SHA-256 {})", admin, tls.certificate().getSubjectX500Principal().getName(),
                Certificates.sha256Fingerprint(tls.certificate()));
        return state();
    }

    /** A fresh self-signed certificate and key; only while the node serves its self-signed certificate. */
    public CertificateState regenerate(String admin) throws WebError {
        String refusal = regenerateRefusal(tls.source());
        if (refusal != null) {
            throw WebError.conflict(refusal);
        }
        try {
            tls.regenerateSelfSigned();
        } catch (TlsConfigException e) {
            throw new WebError(500, "internal", "Not regenerated: " + e.getMessage());
        } catch (IllegalStateException raced) {
            throw WebError.conflict(regenerateRefusal(tls.source()));
        }
        log.info("{} regenerated the self-signed certificate (SHA-256 {})", admin,
                Certificates.sha256Fingerprint(tls.certificate()));
        return state();
    }

    /** Deletes the uploaded certificate; the node serves its self-signed one again. */
    public CertificateState removeUploaded(String admin) throws WebError {
        if (tls.source() != TlsManager.Source.UPLOADED) {
            throw WebError.conflict("No uploaded certificate is in use.");
        }
        try {
            tls.removeUploaded();
        } catch (TlsConfigException e) {
            throw new WebError(500, "internal", "The uploaded certificate stays in use: " + e.getMessage());
        } catch (IllegalStateException raced) {
            throw WebError.conflict("No uploaded certificate is in use.");
        }
        log.info("{} removed the uploaded certificate; serving the self-signed one (SHA-256 {})", admin,
                Certificates.sha256Fingerprint(tls.certificate()));
        return state();
    }

    /**
     * With {@code tls.certificate} set, the admin manages the files (certbot, a deployment tool): the console does
     * not write there, because the next renewal would silently overwrite the upload, and those files often belong to
     * another user. Nor does it shadow them with its own file, because the configuration would then name files the
     * node does not serve. The admin replaces the files (the node reloads them) or removes the key to manage the
     * certificate here.
     */
    private String uploadRefusal(TlsManager.Source source) {
        return source != TlsManager.Source.CONFIGURED ? null : "The configuration's tls.certificate names "
                + tls.certificateFile() + ": the node serves that file and reloads it when it changes. Replace that file"
                + " (or let your renewal tool do it), or remove tls.certificate from the configuration and restart to"
                + " manage the certificate here.";
    }

    private String regenerateRefusal(TlsManager.Source source) {
        return switch (source) {
            case SELF_SIGNED -> null;
            case UPLOADED -> "The node serves an uploaded certificate, not its self-signed one: remove the uploaded"
                    + " certificate first to go back to the self-signed one.";
            case CONFIGURED -> "The node serves the certificate that tls.certificate names (" + tls.certificateFile()
                    + "); it has no self-signed certificate to regenerate.";
        };
    }

    /** Issued by itself and signed with its own key (not merely a matching name). */
    private static boolean isSelfSigned(X509Certificate certificate) {
        if (!certificate.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
