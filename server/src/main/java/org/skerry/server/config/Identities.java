package org.skerry.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/** Validation of the top-level {@code domains} and {@code admins} keys. */
final class Identities {

    private Identities() {
    }

    static List<String> domains(ResolvedValues v) throws ConfigException {
        List<String> written = v.strings("domains");
        if (written.isEmpty()) {
            throw v.error("domains", "must name at least one domain");
        }
        List<String> domains = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            String domain;
            try {
                domain = ValueSyntax.domain(written.get(i));
            } catch (IllegalArgumentException invalid) {
                throw v.error("domains", i, invalid.getMessage());
            }
            if (domains.contains(domain)) {
                throw v.error("domains", i, "\"" + domain + "\" is listed twice");
            }
            domains.add(domain);
        }
        return List.copyOf(domains);
    }

    /** Bare JIDs of admins; an admin on a domain this node does not serve could never log in, so it is an error. */
    static List<String> admins(ResolvedValues v, List<String> domains) throws ConfigException {
        List<String> written = v.strings("admins");
        List<String> admins = new ArrayList<>();
        for (int i = 0; i < written.size(); i++) {
            String text = written.get(i);
            if (text.indexOf('/') >= 0 || text.indexOf('@') <= 0) {
                throw v.error("admins", i, "\"" + text + "\" must be a bare JID such as admin@" + domains.get(0));
            }
            EntityBareJid jid;
            try {
                jid = JidCreate.entityBareFrom(text);
            } catch (XmppStringprepException | IllegalArgumentException invalid) {
                throw v.error("admins", i, "\"" + text + "\" is not a valid JID: " + invalid.getMessage());
            }
            String domain = jid.getDomain().toString().toLowerCase(Locale.ROOT);
            if (!domains.contains(domain)) {
                throw v.error("admins", i, "\"" + text + "\" is not on a domain served by this node " + domains);
            }
            String normalized = jid.asEntityBareJidString();
            if (!admins.contains(normalized)) {
                admins.add(normalized);
            }
        }
        return List.copyOf(admins);
    }
}
