package org.skerry.federation.link;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiPredicate;
import org.skerry.federation.queue.InboundDeduplicator;
import org.skerry.federation.queue.StanzaIds;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.StreamError;
import org.skerry.server.xmpp.StreamError.Condition;

/**
 * What a stanza from a peer must pass before it is routed, whichever stream carried it: a stream the peer opened to
 * us, or our own link that the peer uses back towards us (XEP-0288). Its 'from' domain must have authenticated on
 * that stream for its 'to' domain (RFC 6120 §8.1.1.2, §13.7): anything else is a stream error, and the stanza is
 * not routed. A stanza the peer's durable queue sends again after a reconnect is dropped by its XEP-0359 id.
 * Used on the stream's event loop.
 */
final class ReceivedStanzas {
    private final FederationLinks links;
    /** Whether a peer domain (first) authenticated on the stream for one of ours (second). */
    private final BiPredicate<String, String> authenticated;

    ReceivedStanzas(FederationLinks links, BiPredicate<String, String> authenticated) {
        this.links = links;
        this.authenticated = authenticated;
    }

    /**
     * Routes {@code stanza}, or throws the stream error that must end the stream instead. The result completes once
     * the stanza is routed or dropped as a repeat: handled, as stream management counts it.
     */
    CompletableFuture<Void> route(Element stanza) {
        String fromAttr = stanza.attr("from");
        String toAttr = stanza.attr("to");
        if (fromAttr == null || toAttr == null) {
            throw new StreamError(Condition.IMPROPER_ADDRESSING, "A stanza between servers needs 'from' and 'to'");
        }
        Jid from = Jid.parseOrNull(fromAttr);
        if (from == null) {
            throw new StreamError(Condition.INVALID_FROM, "Malformed 'from'");
        }
        Jid to = Jid.parseOrNull(toAttr);
        if (to == null) {
            throw new StreamError(Condition.IMPROPER_ADDRESSING, "Malformed 'to'");
        }
        if (!links.server().isLocalDomain(to.domain())) {
            throw new StreamError(Condition.HOST_UNKNOWN, "This server does not serve " + to.domain());
        }
        if (!authenticated.test(from.domain(), to.domain())) {
            throw new StreamError(Condition.INVALID_FROM, from.domain() + " has not authenticated on this stream for "
                    + to.domain());
        }
        links.stanzaCounters().received(stanza);
        return routeOnce(from.domain(), StanzaNamespaces.toClient(stanza));
    }

    /**
     * Routes a stanza unless the peer's durable queue already delivered it before a reconnect (same XEP-0359 id
     * from the same domain). If the check itself fails, the stanza is routed: a rare duplicate beats a loss.
     */
    private CompletableFuture<Void> routeOnce(String peer, Element stanza) {
        String id = StanzaIds.assignedBy(stanza, peer);
        if (id == null) {
            return links.server().router().route(stanza);
        }
        // The id is the peer server's delivery bookkeeping, not something the recipient's client needs.
        StanzaIds.unstamp(stanza, id);
        InboundDeduplicator seen = links.deduplicator();
        CompletableFuture<Void> handled = new CompletableFuture<>();
        seen.firstTime(peer, id).whenComplete((first, failure) -> {
            if (failure == null && !Boolean.TRUE.equals(first)) {
                handled.complete(null); // a repeat
                return;
            }
            links.server().router().route(stanza).whenComplete((ok, routeFailure) -> {
                if (routeFailure == null) {
                    seen.routed(peer, id);
                } else {
                    seen.abandoned(peer, id);
                }
                handled.complete(null);
            });
        });
        return handled;
    }
}
