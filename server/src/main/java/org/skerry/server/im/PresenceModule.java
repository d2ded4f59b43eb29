package org.skerry.server.im;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.skerry.server.ServerContext;
import org.skerry.server.module.EventType;
import org.skerry.server.module.Implements;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;
import org.skerry.server.routing.Events;
import org.skerry.server.routing.Router;
import org.skerry.server.routing.StanzaEvent;
import org.skerry.server.session.ClientSession;
import org.skerry.server.storage.RosterItem;
import org.skerry.server.stream.Features;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.Namespaces;

/**
 * RFC 6121 §3 and §4: presence subscriptions (with pre-approval), presence broadcast and probes, directed
 * presence, and unavailable presence when a session ends. Roster state changes run on the storage pool keyed by
 * the account whose roster changes, so that concurrent requests for one account apply in order.
 */
@Implements(spec = "RFC 6121", note = "presence and subscriptions, including pre-approval")
@Implements(spec = "XEP-0115", version = "1.6", note = "caps in presence are passed through unchanged")
public final class PresenceModule implements Module {
    private static final int PRIORITY = 10;
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /**
     * A resource that was available with a negative priority now has a non-negative one: from now on it counts for
     * messages to the account (RFC 6121 §8.5.2.1.1), as a resource that sent such an initial presence does.
     */
    public static final EventType<ClientSession> NOW_NON_NEGATIVE = new EventType<>("presence/now-non-negative");

    private ServerContext server;
    private Rosters rosters;

    @Override
    public void start(ModuleContext context) {
        server = context.server();
        rosters = new Rosters(server);
        context.on(Events.PRESENCE_OUTBOUND, PRIORITY, this::outbound);
        context.on(Events.PRESENCE_BARE, PRIORITY, this::inbound);
        context.on(Events.PRESENCE_FULL, PRIORITY, this::inbound);
        context.on(Events.SESSION_CLOSED, PRIORITY, this::sessionClosed);
        context.on(Events.SESSION_AVAILABLE, PRIORITY, this::redeliverSubscriptionRequests);
        context.on(Features.EVENT, 0, Features.afterAuthentication("sub", "urn:xmpp:features:pre-approval"));
    }

    // ---------------------------------------------------------------- from the user's own clients

    private boolean outbound(StanzaEvent event) {
        Element presence = event.stanza();
        String type = presence.attr("type");
        ClientSession session = event.origin();
        if (isSubscription(type)) {
            if (presence.attr("to") == null) {
                return true; // a subscription request to nobody
            }
            Router.defer(outboundSubscription(session.bare(), event.to().bare(), presence, type));
            return true;
        }
        if ("probe".equals(type)) {
            return true; // probes are the server's business (RFC 6121 §4.3)
        }
        if (presence.attr("to") != null) {
            // Directed presence (§4.6): remember who must hear our unavailable presence later.
            if ("unavailable".equals(type)) {
                session.directedPresence().remove(event.to());
            } else if (type == null && session.isAvailable()) {
                session.directedPresence().add(event.to());
            }
            return false; // the router delivers it like any stanza
        }
        if (type == null) {
            broadcastAvailable(session, presence);
        } else if ("unavailable".equals(type)) {
            broadcastUnavailable(session, presence);
        }
        return true;
    }

    private CompletableFuture<Void> outboundSubscription(Jid user, Jid contact, Element original, String type) {
        return server.storage().run(user, () -> {
            RosterItem item = rosters.item(user, contact).orElse(null);
            if (item == null && !"subscribe".equals(type) && !"subscribed".equals(type)) {
                // No roster item: nothing to change, and Appendix A decides whether the contact hears of it.
                if (SubscriptionStateMachine.outbound(Subscription.NONE, type).action()
                        == SubscriptionStateMachine.Action.FORWARD) {
                    routeSubscription(user, contact, type, original);
                }
                return null;
            }
            boolean isNew = item == null;
            if (isNew) {
                item = RosterItem.of(contact.toString(), null, List.of());
            }
            Subscription before = Rosters.state(item);
            SubscriptionStateMachine.Outcome outcome = SubscriptionStateMachine.outbound(before, type);
            if (!outcome.next().equals(before) || isNew) {
                if (!isNew && !Rosters.visible(item) && outcome.next().equals(Subscription.NONE)) {
                    // Denying a request the roster never showed: forget it (RFC 6121 §3.2.2).
                    server.storage().roster().remove(user.domain(), user.local(), item.contactJid());
                } else {
                    RosterItem updated = Rosters.withState(item, outcome.next(), item.pendingInStanza());
                    long version = rosters.save(user, updated);
                    rosters.push(user, updated, version);
                }
            }
            if (outcome.action() == SubscriptionStateMachine.Action.FORWARD) {
                routeSubscription(user, contact, type, original);
                if ("subscribed".equals(type)) {
                    sendCurrentPresence(user, contact); // §3.1.5: the contact now sees us
                } else if ("unsubscribed".equals(type)) {
                    sendUnavailable(user, contact);
                }
            }
            return null;
        });
    }

    private void routeSubscription(Jid from, Jid to, String type, Element original) {
        // RFC 6121 §3.1.2: stamped with the bare JID, whatever resource sent it.
        Element out = new Element("presence", Namespaces.CLIENT).attr("type", type).attr("id", original.attr("id"))
                .attr("from", from.toString()).attr("to", to.toString());
        for (Element child : original.elements()) {
            out.add(child.copy());
        }
        server.router().route(out);
    }

    private void broadcastAvailable(ClientSession session, Element presence) {
        boolean initial = !session.isAvailable();
        boolean wasNegative = session.priority() < 0;
        session.updatePresence(presence.copy(), true, priority(presence));
        Jid user = session.bare();
        Router.defer(server.storage().run(user, () -> {
            List<RosterItem> items = rosters.items(user);
            for (RosterItem item : items) {
                if (Rosters.state(item).contactSeesUser()) {
                    sendTo(presence, session.jid(), Jid.parse(item.contactJid()));
                }
            }
            for (ClientSession own : server.sessions().available(user)) {
                sendTo(presence, session.jid(), own.jid());
                if (initial && own != session && own.presence() != null) {
                    sendTo(own.presence(), own.jid(), session.jid()); // §4.2.2: the new resource learns its siblings
                }
            }
            if (initial) {
                for (RosterItem item : items) {
                    if (Rosters.state(item).userSeesContact()) {
                        server.router().route(new Element("presence", Namespaces.CLIENT).attr("type", "probe")
                                .attr("from", user.toString()).attr("to", item.contactJid()));
                    }
                }
            }
            return null;
        }));
        if (initial) {
            server.events().fire(Events.SESSION_AVAILABLE, session);
        } else if (wasNegative && session.priority() >= 0) {
            server.events().fire(NOW_NON_NEGATIVE, session);
        }
    }

    private void broadcastUnavailable(ClientSession session, Element presence) {
        if (!session.isAvailable()) {
            return;
        }
        session.updatePresence(presence.copy(), false, 0);
        Jid user = session.bare();
        List<Jid> directed = List.copyOf(session.directedPresence());
        session.directedPresence().clear();
        Router.defer(server.storage().run(user, () -> {
            for (RosterItem item : rosters.items(user)) {
                if (Rosters.state(item).contactSeesUser()) {
                    sendTo(presence, session.jid(), Jid.parse(item.contactJid()));
                }
            }
            for (Jid target : directed) {
                sendTo(presence, session.jid(), target);
            }
            for (ClientSession own : server.sessions().sessions(user)) {
                if (own.isAvailable() || own == session) {
                    sendTo(presence, session.jid(), own.jid());
                }
            }
            return null;
        }));
    }

    private boolean sessionClosed(ClientSession session) {
        if (session.isAvailable()) {
            Element unavailable = new Element("presence", Namespaces.CLIENT).attr("type", "unavailable");
            broadcastUnavailable(session, unavailable);
        }
        return false;
    }

    // ---------------------------------------------------------------- to local accounts

    private boolean inbound(StanzaEvent event) {
        String type = event.stanza().attr("type");
        if (isSubscription(type)) {
            Router.defer(inboundSubscription(event.to().bare(), event.from().bare(), event.stanza(), type));
            return true;
        }
        if ("probe".equals(type)) {
            Router.defer(answerProbe(event.to().bare(), event.from()));
            return true;
        }
        return false;
    }

    private CompletableFuture<Void> inboundSubscription(Jid user, Jid contact, Element stanza, String type) {
        return server.storage().run(user, () -> {
            if (!server.accounts().exists(user)) {
                return DONE; // RFC 6121 §3.1.3: silently ignored for accounts that do not exist
            }
            RosterItem item = rosters.item(user, contact).orElse(null);
            if (item == null && !"subscribe".equals(type)) {
                return DONE;
            }
            boolean isNew = item == null;
            if (isNew) {
                item = RosterItem.of(contact.toString(), null, List.of());
            }
            Subscription before = Rosters.state(item);
            SubscriptionStateMachine.Outcome outcome = SubscriptionStateMachine.inbound(before, type);
            Element clean = new Element("presence", Namespaces.CLIENT).attr("type", type)
                    .attr("from", contact.toString()).attr("to", user.toString());
            for (Element child : stanza.elements()) {
                clean.add(child.copy());
            }
            if (!outcome.next().equals(before)) {
                saveOrForget(user, item, isNew, outcome, clean.toXml());
            }
            switch (outcome.action()) {
                case FORWARD -> {
                    List<ClientSession> targets = server.sessions().available(user);
                    CompletableFuture<?>[] writes = new CompletableFuture<?>[targets.size()];
                    for (int i = 0; i < writes.length; i++) {
                        writes[i] = targets.get(i).deliver(clean);
                    }
                    return CompletableFuture.allOf(writes);
                }
                case AUTO_APPROVE -> {
                    routeSubscription(user, contact, "subscribed", new Element("presence", Namespaces.CLIENT));
                    sendCurrentPresence(user, contact);
                }
                default -> { }
            }
            return DONE;
        }).thenCompose(written -> written);
    }

    /**
     * Stores a roster item's new state. An item that only tracked a request the user never saw (RFC 6121 §3.1.3)
     * and now tracks nothing is deleted rather than turned into a visible, empty contact (§3.2.2).
     */
    private void saveOrForget(Jid user, RosterItem item, boolean isNew, SubscriptionStateMachine.Outcome outcome,
                              String pendingInStanza) {
        boolean trackingOnly = isNew || !Rosters.visible(item);
        if (trackingOnly && outcome.next().equals(Subscription.NONE)) {
            if (!isNew) {
                server.storage().roster().remove(user.domain(), user.local(), item.contactJid());
            }
            return;
        }
        RosterItem updated = Rosters.withState(item, outcome.next(), outcome.next().pendingIn() ? pendingInStanza : null);
        long version = rosters.save(user, updated);
        if (outcome.changed()) {
            rosters.push(user, updated, version);
        }
    }

    private CompletableFuture<Void> answerProbe(Jid user, Jid prober) {
        return server.storage().run(user, () -> {
            if (prober.bare().equals(user)) {
                return null;
            }
            RosterItem item = rosters.item(user, prober.bare()).orElse(null);
            if (item == null || !Rosters.state(item).contactSeesUser()) {
                return null; // §4.3.2: no subscription, no presence
            }
            if (!sendCurrentPresence(user, prober)) {
                server.router().route(new Element("presence", Namespaces.CLIENT).attr("type", "unavailable")
                        .attr("from", user.toString()).attr("to", prober.toString()));
            }
            return null;
        });
    }

    /** RFC 6121 §3.1.3: requests that arrived while the user was away are delivered at the next login. */
    private boolean redeliverSubscriptionRequests(ClientSession session) {
        Jid user = session.bare();
        server.storage().run(user, () -> {
            for (RosterItem item : rosters.items(user)) {
                if (item.pendingIn() && item.pendingInStanza() != null) {
                    Element request = org.skerry.server.xml.ElementParser.parse(item.pendingInStanza());
                    if (request != null) {
                        session.deliver(request);
                    }
                }
            }
            return null;
        });
        return false;
    }

    // ---------------------------------------------------------------- helpers

    /** Sends the presence of each available resource of {@code user} to {@code target}; false if none is available. */
    private boolean sendCurrentPresence(Jid user, Jid target) {
        boolean any = false;
        for (ClientSession s : server.sessions().available(user)) {
            if (s.presence() != null) {
                sendTo(s.presence(), s.jid(), target);
                any = true;
            }
        }
        return any;
    }

    private void sendUnavailable(Jid user, Jid target) {
        for (ClientSession s : server.sessions().available(user)) {
            server.router().route(new Element("presence", Namespaces.CLIENT).attr("type", "unavailable")
                    .attr("from", s.jid().toString()).attr("to", target.toString()));
        }
    }

    private void sendTo(Element presence, Jid from, Jid to) {
        Element copy = presence.copy().attr("from", from.toString()).attr("to", to.toString());
        server.router().route(copy);
    }

    private static boolean isSubscription(String type) {
        return "subscribe".equals(type) || "subscribed".equals(type) || "unsubscribe".equals(type)
                || "unsubscribed".equals(type);
    }

    private static int priority(Element presence) {
        String text = presence.childText("priority");
        if (text == null) {
            return 0;
        }
        try {
            return Math.max(-128, Math.min(127, Integer.parseInt(text.trim())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
