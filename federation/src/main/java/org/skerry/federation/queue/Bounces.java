package org.skerry.federation.queue;

import java.util.concurrent.CompletableFuture;
import org.skerry.server.routing.Router;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.StanzaError;
import org.skerry.server.xmpp.Stanzas;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error replies for stanzas the queue gives up on or refuses. Only what expects an answer bounces: messages,
 * IQ get/set and presence probes (RFC 6120 §8.3.1 forbids answering an error or an IQ result, and RFC 6121 drops
 * other presence to an unreachable address). Anything that does not bounce is logged, so nothing disappears
 * without a trace.
 */
final class Bounces {
    private static final Logger log = LoggerFactory.getLogger(Bounces.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Router router;

    Bounces(Router router) {
        this.router = router;
    }

    static boolean bounceable(Element stanza) {
        String type = stanza.attr("type");
        if ("error".equals(type) || stanza.attr("from") == null) {
            return false;
        }
        if (Stanzas.isIq(stanza)) {
            return "get".equals(type) || "set".equals(type);
        }
        if (Stanzas.isPresence(stanza)) {
            return "probe".equals(type);
        }
        return Stanzas.isMessage(stanza);
    }

    /**
     * Routes the error reply to the sender.
     *
     * @return completes when the reply is delivered or durably stored, as any route; at once when the stanza
     *     does not bounce
     */
    CompletableFuture<Void> bounce(Element stanza, StanzaError condition, String text) {
        if (!bounceable(stanza)) {
            log.info("Not delivered and not bounced ({}, {}): {}", condition.elementName(), text, stanza.toXml());
            return DONE;
        }
        return router.route(Stanzas.error(stanza, condition, text));
    }
}
