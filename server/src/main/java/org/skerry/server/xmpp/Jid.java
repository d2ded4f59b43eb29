package org.skerry.server.xmpp;

import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * An XMPP address (RFC 7622), normalised through jxmpp-jid so that two spellings of one address compare equal.
 * Immutable; {@code local} and {@code resource} are null when absent.
 */
public record Jid(String local, String domain, String resource) {

    /** Parses and normalises an address; throws {@link JidFormatException} for anything RFC 7622 refuses. */
    public static Jid parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 3071) {
            throw new JidFormatException("empty or oversized address");
        }
        Jid canonical = parseCanonicalAscii(text);
        return canonical != null ? canonical : parseAndNormalise(text);
    }

    /** The full path: any address, through jxmpp's parsing and normalisation. */
    static Jid parseAndNormalise(String text) {
        if (hasEmptyPart(text)) {
            throw new JidFormatException("empty localpart, domainpart or resourcepart");
        }
        try {
            org.jxmpp.jid.Jid parsed = JidCreate.from(text);
            String local = parsed.getLocalpartOrNull() == null ? null : parsed.getLocalpartOrNull().toString();
            String resource = parsed.getResourceOrNull() == null ? null : parsed.getResourceOrNull().toString();
            String domain = parsed.getDomain().toString();
            if (domain.isEmpty() || domain.length() > 1023 || !isDomainName(domain)) {
                throw new JidFormatException("bad domainpart");
            }
            return new Jid(local, domain, resource);
        } catch (XmppStringprepException | IllegalArgumentException e) {
            throw new JidFormatException(e.getMessage());
        }
    }

    /**
     * Most addresses on the wire are already in canonical form and plain ASCII: a localpart and domainpart of
     * lowercase letters, digits, '.', '-' and '_', a resourcepart that may also have capitals. Normalisation maps such
     * parts to themselves, so they are taken as they are, without jxmpp's parsing (which made a tenth of what a
     * federated message allocated). Returns null for anything else, which takes the full path.
     */
    static Jid parseCanonicalAscii(String text) {
        int length = text.length();
        int at = -1;
        int slash = length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '/') {
                slash = i;
                break;
            }
            if (c == '@') {
                if (at >= 0) {
                    return null;
                }
                at = i;
            } else if (!isCanonicalBareChar(c)) {
                return null;
            }
        }
        int domainStart = at + 1;
        if (at == 0 || slash - domainStart < 1 || slash - domainStart > 1023 || at > 1023
                || text.charAt(domainStart) == '.' || text.charAt(slash - 1) == '.'
                || isBefore(text.indexOf("..", domainStart), slash)) {
            return null;
        }
        if (slash < length) {
            if (slash == length - 1 || length - slash - 1 > 1023) {
                return null;
            }
            for (int i = slash + 1; i < length; i++) {
                char c = text.charAt(i);
                if (!isCanonicalBareChar(c) && (c < 'A' || c > 'Z')) {
                    return null;
                }
            }
        }
        return new Jid(at < 0 ? null : text.substring(0, at), text.substring(domainStart, slash),
                slash < length ? text.substring(slash + 1) : null);
    }

    /** True when {@code index} was found ({@code >= 0}) and lies before {@code end}. */
    private static boolean isBefore(int index, int end) {
        return index >= 0 && index < end;
    }

    private static boolean isCanonicalBareChar(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_';
    }

    /**
     * RFC 7622 §3.1: a separator must not be followed (or, for '@', preceded) by an empty part. jxmpp does not always
     * refuse these: once its caches are warm, "@capulet.lit" can come back as "capulet.lit" and "juliet@capulet.lit/"
     * as the bare JID, which would deliver a malformed address somewhere else instead of refusing it.
     */
    private static boolean hasEmptyPart(String text) {
        int slash = text.indexOf('/');
        String bare = slash < 0 ? text : text.substring(0, slash);
        int at = bare.indexOf('@');
        return slash == text.length() - 1 || at == 0 || at == bare.length() - 1;
    }

    /**
     * RFC 7622 §3.2: a domainpart is a DNS name (ASCII letters, digits, hyphens and dots, or internationalised
     * labels) or a bracketed IP literal. jxmpp lets almost anything through ("capulet.lit@balcony", "cap ulet.lit"),
     * and such an address must be refused as malformed, not routed as a remote domain.
     */
    private static boolean isDomainName(String domain) {
        if (domain.startsWith("[")) {
            if (domain.length() <= 2 || !domain.endsWith("]")) {
                return false;
            }
            for (int i = 1; i < domain.length() - 1; i++) {
                char c = domain.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < domain.length(); i++) {
            char c = domain.charAt(i);
            boolean allowed = c < 0x80
                    ? c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                            || c == '_'
                    : !Character.isWhitespace(c) && !Character.isISOControl(c) && !Character.isSpaceChar(c);
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** Parses, or returns null for a null or invalid address; for attributes that may be absent. */
    public static Jid parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return parse(text);
        } catch (JidFormatException e) {
            return null;
        }
    }

    public static Jid of(String local, String domain) { return new Jid(local, domain, null); }

    public static Jid domain(String domain) { return new Jid(null, domain, null); }

    public boolean isBare() { return resource == null; }

    public boolean isDomain() { return local == null && resource == null; }

    public Jid bare() { return resource == null ? this : new Jid(local, domain, null); }

    public Jid withResource(String newResource) { return new Jid(local, domain, newResource); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (local != null) {
            sb.append(local).append('@');
        }
        sb.append(domain);
        if (resource != null) {
            sb.append('/').append(resource);
        }
        return sb.toString();
    }

    /** Thrown for an address that does not parse; the caller answers with jid-malformed. */
    public static final class JidFormatException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public JidFormatException(String message) { super(message); }
    }
}
