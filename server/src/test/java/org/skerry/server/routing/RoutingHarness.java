package org.skerry.server.routing;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.skerry.server.module.EventBus;
import org.skerry.server.session.ClientSession;
import org.skerry.server.session.RecordingConnection;
import org.skerry.server.session.SessionRegistry;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.Namespaces;

/**
 * The routing core with real parts: an event bus, a session registry, the router and the priority-0 delivery
 * rules, serving two local domains. Clients are real {@link ClientSession}s over a recording connection.
 */
final class RoutingHarness implements AutoCloseable {
    static final String CAPULET = "capulet.lit";
    static final String MONTAGUE = "montague.lit";

    final EventBus events = new EventBus();
    final SessionRegistry sessions = new SessionRegistry();
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final Router router = new Router(events, domain -> domain.equals(CAPULET) || domain.equals(MONTAGUE), scheduler);
    final LocalDelivery delivery = new LocalDelivery(sessions, router, events);

    /** A bound resource and what it received. */
    record Client(ClientSession session, RecordingConnection connection) {
        Jid jid() { return session.jid(); }

        List<Element> received() { return connection.take(); }
    }

    /** Binds a resource that sent available presence with this priority. */
    Client online(String fullJid, int priority) {
        Client client = bound(fullJid);
        client.session().updatePresence(new Element("presence", Namespaces.CLIENT), true, priority);
        return client;
    }

    /** Binds a resource that has not sent initial presence yet. */
    Client bound(String fullJid) {
        RecordingConnection connection = new RecordingConnection();
        ClientSession session = new ClientSession(Jid.parse(fullJid), "stream-" + fullJid, connection);
        sessions.bind(session);
        return new Client(session, connection);
    }

    static Element message(String type, Client from, String to) {
        Element message = stanza("message", type, from.jid().toString(), to);
        message.addChild("body").addText("Wherefore art thou?");
        return message;
    }

    static Element stanza(String kind, String type, String from, String to) {
        Element stanza = new Element(kind, Namespaces.CLIENT).attr("id", "id-" + kind).attr("from", from).attr("to", to);
        if (type != null) {
            stanza.attr("type", type);
        }
        return stanza;
    }

    @Override
    public void close() { scheduler.shutdownNow(); }
}
