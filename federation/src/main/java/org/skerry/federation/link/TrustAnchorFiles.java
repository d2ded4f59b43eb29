package org.skerry.federation.link;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code federation.trust_anchors}: PEM files, each with one or more CA certificates. */
public final class TrustAnchorFiles {
    private TrustAnchorFiles() {
    }

    /** Every certificate in the files; a missing, unreadable or certificate-less file stops the start with its path. */
    public static List<X509Certificate> read(List<Path> files) {
        List<X509Certificate> anchors = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                int before = anchors.size();
                for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    anchors.add((X509Certificate) certificate);
                }
                if (anchors.size() == before) {
                    throw new IllegalStateException("federation.trust_anchors: " + file + " holds no certificate");
                }
            } catch (IOException | CertificateException e) {
                throw new IllegalStateException("federation.trust_anchors: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return anchors;
    }
}
