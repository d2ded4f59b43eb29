package org.skerry.server.stream;

import java.util.List;
import org.skerry.server.ServerContext;
import org.skerry.server.routing.Events;
import org.skerry.server.session.ClientSession;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Stanzas;
import org.skerry.server.xmpp.StreamError;

/**
 * Ends a session for good: unbinds it, tells the modules (presence broadcasts unavailable), and sends every
 * message the client never acknowledged back through the router to the account, so that another resource or
 * offline storage gets it instead of nobody.
 */
public final class SessionEnd {
    private SessionEnd() {}

    public static void end(ServerContext server, ClientSession session) {
        // Unbound first, so that nothing routes to it any more; a delivery already on its way lands in
        // onLateDelivery and is rerouted like the unacknowledged stanzas.
        server.sessions().unbind(session);
        session.onLateDelivery(stanza -> reroute(server, session, stanza));
        List<Element> unacked = session.terminate();
        if (unacked == null) {
            return; // someone else ended it already
        }
        server.events().fire(Events.SESSION_CLOSED, session);
        for (Element stanza : unacked) {
            reroute(server, session, stanza);
        }
    }

    /**
     * Ends a session from outside (an administrator's kick or lock): a connected one gets {@code error}, which
     * also rules out a resumption (XEP-0198 §5); a hibernating one has no stream to tell and ends at once.
     */
    public static void disconnect(ServerContext server, ClientSession session, StreamError error) {
        if (session.isHibernating()) {
            end(server, session);
        } else {
            session.close(error);
        }
    }

    /**
     * Sends a chat or normal message that could not reach {@code session} to its account instead (another
     * resource, or offline storage), stamped with when it first arrived. Other stanzas are not worth resending.
     */
    public static void reroute(ServerContext server, ClientSession session, Element stanza) {
        if (!Stanzas.isMessage(stanza)) {
            return;
        }
        String type = Stanzas.type(stanza);
        if (type.equals("error") || type.equals("groupchat") || type.equals("headline")) {
            return;
        }
        if (!session.jid().toString().equals(stanza.attr("to"))
                && !server.sessions().available(session.bare()).isEmpty()) {
            // Sent to the account (the bare JID), so the sibling resources still online had their copy:
            // resending would give them a second one. With none left, it goes to offline storage.
            return;
        }
        Element copy = stanza.copy();
        copy.attr("to", session.bare().toString());
        if (copy.child("delay", org.skerry.server.xmpp.Namespaces.DELAY) == null) {
            Stanzas.addDelay(copy, session.jid().domain(), server.clock().instant(), "Resent after the connection was lost");
        }
        server.router().route(copy);
    }
}
