package org.skerry.server.auth;

import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Domainpart;
import org.jxmpp.jid.parts.Localpart;

/** Turns SASL user names and authorization identities into XMPP addresses on the connection's domain. */
final class SaslIdentity {
    private SaslIdentity() {}

    /**
     * The normalized localpart for a SASL user name (SASLprep as a query, then the localpart profile), or null
     * when the name cannot be a localpart and so cannot be an account.
     */
    static String normalizeUsername(String saslUsername) {
        try {
            String prepared = Saslprep.prepareQuery(saslUsername);
            return Localpart.from(prepared).toString();
        } catch (Exception e) { // IllegalArgumentException from SASLprep, XmppStringprepException from jxmpp
            return null;
        }
    }

    /**
     * RFC 6120 §6.3.8: an authorization identity, when present, must be the bare JID of the authenticated
     * account; acting as another entity is not supported.
     */
    static boolean authzidMatches(String authzid, String localpart, String domain) {
        try {
            Jid requested = JidCreate.from(authzid);
            Jid own = JidCreate.entityBareFrom(Localpart.from(localpart), Domainpart.from(domain));
            return requested.isEntityBareJid() && requested.equals(own);
        } catch (Exception e) { // XmppStringprepException or IllegalArgumentException for malformed JIDs
            return false;
        }
    }
}
