package org.skerry.federation;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.skerry.federation.check.FederationCheck;
import org.skerry.federation.link.FederationLinks;
import org.skerry.server.routing.Router;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;

/**
 * The running node's part in {@code federation check}: its dialback keys, and the router's wait for the answers to
 * the check's IQs, which the peer routes to this node over a link of its own.
 */
final class CheckSupport implements FederationCheck.RunningNode {
    private final FederationLinks links;
    private final Router router;

    CheckSupport(FederationLinks links, Router router) {
        this.links = links;
        this.router = router;
    }

    @Override
    public String dialbackKey(String peer, String ours, String streamId) {
        return links.dialbackKey(peer, ours, streamId);
    }

    @Override
    public String expectIqAnswer(String peer, Duration timeout, CompletableFuture<Element> answer) {
        return router.expectResponse(Jid.domain(peer), timeout, answer::complete);
    }
}
