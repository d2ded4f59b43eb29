package org.skerry.server.tls;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;

/** Small read-only helpers over X.509 certificates, shared by the TLS and federation code. */
public final class Certificates {
    private Certificates() {}

    /** RFC 6120 §13.7.1.4 id-on-xmppAddr: an otherName SAN holding a JID as a UTF8String. */
    public static final String XMPP_ADDR_OID = "1.3.6.1.5.5.7.8.5";

    /** RFC 4985 id-on-dnsSRV: an otherName SAN holding an SRV-ID such as {@code _xmpp-server.example.org}. */
    public static final String SRV_NAME_OID = "1.3.6.1.5.5.7.8.7";

    private static final int SAN_OTHER_NAME = 0;
    private static final int SAN_DNS_NAME = 2;

    /** The SHA-256 fingerprint as admins compare it by eye: upper-case hex pairs separated by colons. */
    public static String sha256Fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }

    /** The subjectAltName dNSName entries, lower-cased, in certificate order. */
    public static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        for (List<?> entry : subjectAltNames(certificate)) {
            if (((Integer) entry.get(0)) == SAN_DNS_NAME) {
                names.add(((String) entry.get(1)).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** The subjectAltName otherName id-on-xmppAddr entries, in certificate order; malformed ones are skipped. */
    public static List<String> xmppAddrs(X509Certificate certificate) {
        return otherNames(certificate, XMPP_ADDR_OID);
    }

    /** The subjectAltName otherName SRV-ID entries (RFC 4985), lower-cased, in certificate order. */
    public static List<String> srvNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        for (String name : otherNames(certificate, SRV_NAME_OID)) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return names;
    }

    private static List<String> otherNames(X509Certificate certificate, String oid) {
        List<String> values = new ArrayList<>();
        for (List<?> entry : subjectAltNames(certificate)) {
            if (((Integer) entry.get(0)) == SAN_OTHER_NAME && entry.get(1) instanceof byte[] der) {
                String value = decodeOtherName(der, oid);
                if (value != null) {
                    values.add(value);
                }
            }
        }
        return values;
    }

    /**
     * Decodes the DER the JDK hands out for an otherName: {@code SEQUENCE { type-id OID, value [0] EXPLICIT ANY }},
     * possibly still carrying its GeneralName {@code [0]} tag. Returns null for other type-ids or anything malformed (certificates come from
     * peers, so this must not throw on hostile input).
     */
    private static String decodeOtherName(byte[] der, String oid) {
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
            ASN1Sequence sequence = primitive instanceof ASN1TaggedObject tagged
                    ? ASN1Sequence.getInstance(tagged, false)
                    : ASN1Sequence.getInstance(primitive);
            if (sequence.size() != 2
                    || !oid.equals(ASN1ObjectIdentifier.getInstance(sequence.getObjectAt(0)).getId())) {
                return null;
            }
            ASN1Encodable value = ASN1TaggedObject.getInstance(sequence.getObjectAt(1)).getExplicitBaseObject();
            // The JDK re-wraps the value in a second [0] when it re-encodes an otherName; accept both forms.
            if (value instanceof ASN1TaggedObject inner && inner.getTagNo() == 0) {
                value = inner.getExplicitBaseObject();
            }
            return value instanceof ASN1String string ? string.getString() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
