package org.skerry.federation.admin;

import java.net.IDN;
import java.util.Collection;
import java.util.Locale;
import org.skerry.server.xmpp.Jid;

/** What an admin types as a peer server's domain, checked before anything is stored or closed. */
public final class PeerDomainName {
    private PeerDomainName() {}

    /**
     * The normalised, lower-cased domain of {@code text}, which must be a server's domain name (an XMPP domainpart
     * that is a DNS name, not an address with a user or resource, not an IP literal) and not one this node serves.
     *
     * @throws IllegalArgumentException with a one-line reason for the admin
     */
    public static String parse(String text, Collection<String> servedDomains) {
        String typed = text == null ? "" : text.strip();
        Jid jid = Jid.parseOrNull(typed);
        if (jid == null) {
            throw new IllegalArgumentException("\"" + typed + "\" is not a valid domain name");
        }
        if (!jid.isDomain()) {
            throw new IllegalArgumentException("\"" + typed + "\" is an address, not a domain: give the server's"
                    + " domain only, e.g. " + jid.domain());
        }
        String domain = jid.domain().toLowerCase(Locale.ROOT);
        if (domain.startsWith("[") || isAllDigits(lastLabel(domain))) {
            throw new IllegalArgumentException("\"" + typed + "\" is an IP address, not a domain name");
        }
        try {
            // STD3 rules: letters, digits and hyphens per label, as DNS (and federation.blocked_domains) wants them.
            IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException notADnsName) {
            throw new IllegalArgumentException("\"" + typed + "\" is not a valid domain name");
        }
        if (servedDomains.contains(domain)) {
            throw new IllegalArgumentException(domain + " is served by this node, not a peer");
        }
        return domain;
    }

    private static String lastLabel(String domain) { return domain.substring(domain.lastIndexOf('.') + 1); }

    private static boolean isAllDigits(String label) {
        return !label.isEmpty() && label.chars().allMatch(Character::isDigit);
    }
}
