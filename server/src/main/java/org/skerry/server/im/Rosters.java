package org.skerry.server.im;

import java.util.List;
import java.util.Optional;
import org.skerry.server.ServerContext;
import org.skerry.server.session.ClientSession;
import org.skerry.server.storage.RosterItem;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.Namespaces;

/**
 * Roster access shared by the roster and presence modules. Blocking: runs on the storage pool with the user's
 * bare JID as ordering key, so that one account's roster changes apply one at a time, in order.
 */
final class Rosters {
    static final String NS = "jabber:iq:roster";

    private final ServerContext server;
    private long pushIds;

    Rosters(ServerContext server) { this.server = server; }

    List<RosterItem> items(Jid user) { return server.storage().roster().items(user.domain(), user.local()); }

    Optional<RosterItem> item(Jid user, Jid contact) {
        return server.storage().roster().item(user.domain(), user.local(), contact.bare().toString());
    }

    static Subscription state(RosterItem item) {
        return item == null ? Subscription.NONE : new Subscription(Subscription.Base.parse(item.subscription()),
                item.askSubscribe(), item.pendingIn(), item.preApproved());
    }

    static RosterItem withState(RosterItem item, Subscription s, String pendingInStanza) {
        return new RosterItem(item.contactJid(), item.name(), s.base().attribute(), s.pendingOut(), s.pendingIn(),
                s.preApproved(), item.groups(), s.pendingIn() ? pendingInStanza : null);
    }

    /**
     * Whether the item belongs in the roster the client sees: an item that only holds an inbound request the user
     * has not answered is kept by the server but not shown (RFC 6121 §3.1.3).
     */
    static boolean visible(RosterItem item) {
        return !("none".equals(item.subscription()) && !item.askSubscribe() && item.pendingIn()
                && item.name() == null && item.groups().isEmpty());
    }

    long save(Jid user, RosterItem item) { return server.storage().roster().put(user.domain(), user.local(), item); }

    static Element itemElement(RosterItem item) {
        Element e = new Element("item", NS).attr("jid", item.contactJid()).attr("subscription", item.subscription());
        if (item.name() != null) {
            e.attr("name", item.name());
        }
        if (item.askSubscribe()) {
            e.attr("ask", "subscribe");
        }
        if (item.preApproved()) {
            e.attr("approved", "true");
        }
        for (String group : item.groups()) {
            e.addChild("group").addText(group);
        }
        return e;
    }

    /** RFC 6121 §2.1.6: a roster push to every resource that asked for the roster. */
    void push(Jid user, Element item, long version) {
        for (ClientSession session : server.sessions().sessions(user)) {
            if (!session.isInterested()) {
                continue;
            }
            Element iq = new Element("iq", Namespaces.CLIENT).attr("type", "set")
                    .attr("id", "push" + nextPushId()).attr("to", session.jid().toString());
            Element query = iq.addChild("query", NS).attr("ver", Long.toString(version));
            query.add(item.copy());
            session.deliver(iq);
        }
    }

    void push(Jid user, RosterItem item, long version) {
        if (visible(item)) {
            push(user, itemElement(item), version);
        }
    }

    private synchronized long nextPushId() { return ++pushIds; }
}
