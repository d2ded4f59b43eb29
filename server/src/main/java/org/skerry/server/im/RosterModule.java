package org.skerry.server.im;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.skerry.server.ServerContext;
import org.skerry.server.module.Implements;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;
import org.skerry.server.routing.StanzaEvent;
import org.skerry.server.storage.RosterDelta;
import org.skerry.server.storage.RosterItem;
import org.skerry.server.stream.Features;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.Namespaces;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.Stanzas;

/** RFC 6121 §2 roster management, with XEP-0237 roster versioning. */
@Implements(spec = "RFC 6121", note = "roster")
@Implements(spec = "XEP-0237", version = "1.3")
public final class RosterModule implements Module {
    private static final int MAX_GROUP_LENGTH = 1024;
    private static final int MAX_NAME_LENGTH = 1024;

    private ServerContext server;
    private Rosters rosters;

    @Override
    public void start(ModuleContext context) {
        server = context.server();
        rosters = new Rosters(server);
        context.onAccountIq(Rosters.NS, this::handle);
        context.on(Features.EVENT, 0, Features.afterAuthentication("ver", "urn:xmpp:features:rosterver"));
    }

    private void handle(StanzaEvent event) {
        Element iq = event.stanza();
        if (event.origin() == null || !event.to().equals(event.from().bare())) {
            server.router().bounce(iq, StanzaError.FORBIDDEN, "Only the account itself manages its roster");
            return;
        }
        Jid user = event.from().bare();
        server.storage().run(user, () -> {
            if ("get".equals(iq.attr("type"))) {
                get(event, user);
            } else {
                set(event, user);
            }
            return null;
        }).exceptionally(failure -> {
            server.router().bounce(iq, StanzaError.INTERNAL_SERVER_ERROR, null);
            return null;
        });
    }

    private void get(StanzaEvent event, Jid user) {
        Element iq = event.stanza();
        event.origin().markInterested();
        String ver = iq.firstElement().attr("ver");
        Element result = Stanzas.iqResult(iq).attr("from", null);
        if (ver != null) {
            Optional<RosterDelta> delta = parseVersion(ver) < 0 ? Optional.empty()
                    : server.storage().roster().changesSince(user.domain(), user.local(), parseVersion(ver));
            if (delta.isPresent()) {
                // XEP-0237 §2.4: nothing changed → empty result; otherwise the changes arrive as pushes.
                event.origin().deliver(result);
                for (RosterItem item : delta.get().changed()) {
                    if (Rosters.visible(item)) {
                        pushTo(event, Rosters.itemElement(item), delta.get().version());
                    }
                }
                for (String removed : delta.get().removed()) {
                    pushTo(event, new Element("item", Rosters.NS).attr("jid", removed).attr("subscription", "remove"),
                            delta.get().version());
                }
                return;
            }
        }
        Element query = result.addChild("query", Rosters.NS);
        query.attr("ver", Long.toString(server.storage().roster().version(user.domain(), user.local())));
        for (RosterItem item : rosters.items(user)) {
            if (Rosters.visible(item)) {
                query.add(Rosters.itemElement(item));
            }
        }
        event.origin().deliver(result);
    }

    private void pushTo(StanzaEvent event, Element item, long version) {
        Element iq = new Element("iq", Namespaces.CLIENT).attr("type", "set").attr("id", "rv" + version)
                .attr("to", event.from().toString());
        iq.addChild("query", Rosters.NS).attr("ver", Long.toString(version)).add(item);
        event.origin().deliver(iq);
    }

    private void set(StanzaEvent event, Jid user) {
        Element iq = event.stanza();
        List<Element> items = iq.firstElement().elements();
        if (items.size() != 1 || !items.get(0).is("item", Rosters.NS)) {
            server.router().bounce(iq, StanzaError.BAD_REQUEST, "A roster set carries exactly one item");
            return;
        }
        Element item = items.get(0);
        Jid contact = Jid.parseOrNull(item.attr("jid"));
        if (contact == null) {
            server.router().bounce(iq, StanzaError.JID_MALFORMED, null);
            return;
        }
        contact = contact.bare();
        String subscription = item.attr("subscription");
        if ("remove".equals(subscription)) {
            remove(event, user, contact);
            return;
        }
        if (subscription != null && !"none".equals(subscription)) {
            // RFC 6121 §2.3.3: a client cannot set subscription states, only ask for removal.
            server.router().bounce(iq, StanzaError.BAD_REQUEST, "Only subscription='remove' may be set");
            return;
        }
        String name = item.attr("name");
        if (name != null && name.length() > MAX_NAME_LENGTH) {
            server.router().bounce(iq, StanzaError.NOT_ACCEPTABLE, "The name is too long");
            return;
        }
        Set<String> groups = new LinkedHashSet<>();
        for (Element group : item.elements()) {
            if (!group.is("group", Rosters.NS)) {
                continue;
            }
            String g = group.text();
            if (g.isEmpty() || g.length() > MAX_GROUP_LENGTH) {
                server.router().bounce(iq, StanzaError.NOT_ACCEPTABLE, "Group names must have 1 to 1024 characters");
                return;
            }
            if (!groups.add(g)) {
                server.router().bounce(iq, StanzaError.BAD_REQUEST, "A group is listed twice");
                return;
            }
        }
        RosterItem existing = rosters.item(user, contact).orElse(null);
        RosterItem updated = existing == null
                ? RosterItem.of(contact.toString(), name == null || name.isEmpty() ? null : name, new ArrayList<>(groups))
                : new RosterItem(existing.contactJid(), name == null || name.isEmpty() ? null : name,
                        existing.subscription(), existing.askSubscribe(), existing.pendingIn(), existing.preApproved(),
                        new ArrayList<>(groups), existing.pendingInStanza());
        long version = rosters.save(user, updated);
        event.origin().deliver(Stanzas.iqResult(iq).attr("from", null));
        rosters.push(user, Rosters.itemElement(updated), version);
    }

    /** RFC 6121 §2.5: removing an item also cancels subscriptions both ways. */
    private void remove(StanzaEvent event, Jid user, Jid contact) {
        Element iq = event.stanza();
        RosterItem existing = rosters.item(user, contact).orElse(null);
        if (existing == null) {
            server.router().bounce(iq, StanzaError.ITEM_NOT_FOUND, null);
            return;
        }
        Subscription state = Rosters.state(existing);
        long version = server.storage().roster().remove(user.domain(), user.local(), contact.toString());
        rosters.push(user, new Element("item", Rosters.NS).attr("jid", contact.toString()).attr("subscription", "remove"),
                version);
        List<CompletableFuture<Void>> cancellations = new ArrayList<>();
        if (state.userSeesContact() || state.pendingOut()) {
            cancellations.add(sendSubscription(user, contact, "unsubscribe"));
        }
        if (state.contactSeesUser() || state.pendingIn()) {
            cancellations.add(sendSubscription(user, contact, "unsubscribed"));
        }
        // The result waits until the contact's side has the cancellations, as in Prosody and ejabberd: a client that
        // removes a contact and at once asks to subscribe again must not see the old unsubscribe overtake the new
        // request at the contact (SINT RosterIntegrationTest.testPresenceDeliveredToRecipient did).
        CompletableFuture.allOf(cancellations.toArray(CompletableFuture[]::new))
                .whenComplete((done, failure) -> event.origin().deliver(Stanzas.iqResult(iq).attr("from", null)));
    }

    private CompletableFuture<Void> sendSubscription(Jid user, Jid contact, String type) {
        Element presence = new Element("presence", Namespaces.CLIENT).attr("type", type)
                .attr("from", user.toString()).attr("to", contact.toString());
        return server.router().route(presence);
    }

    private static long parseVersion(String ver) {
        try {
            return ver.isEmpty() ? -1 : Long.parseLong(ver);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
