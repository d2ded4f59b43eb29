package org.skerry.server.routing;

import org.skerry.server.session.ClientSession;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;

/**
 * One stanza on its way through the router. {@code origin} is the local client session that sent it, or null
 * when the server made it or a peer server relayed it. {@code from} is always set (stamped by the core for
 * local clients); {@code to} is the resolved addressee (a client's stanza without 'to' is addressed to its own
 * bare JID).
 */
public record StanzaEvent(Element stanza, ClientSession origin, Jid from, Jid to) {
    public String type() { return org.skerry.server.xmpp.Stanzas.type(stanza); }
}
