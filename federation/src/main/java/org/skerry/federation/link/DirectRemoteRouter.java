package org.skerry.federation.link;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import org.skerry.server.routing.RemoteRouter;
import org.skerry.server.routing.Router;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.Jid;
import org.skerry.server.xmpp.StanzaError;

/**
 * Sends each stanza for a remote domain straight over the link for its domain pair, and bounces it to its sender
 * when the link fails. Nothing is stored: the durable outbound queue (org.skerry.federation.queue) replaces this
 * by sitting between the router and {@link PeerLinks}.
 */
public final class DirectRemoteRouter implements RemoteRouter {
    private final PeerLinks links;
    private final Router router;
    private final Predicate<String> isLocalDomain;

    public DirectRemoteRouter(PeerLinks links, Router router, Predicate<String> isLocalDomain) {
        this.links = links;
        this.router = router;
        this.isLocalDomain = isLocalDomain;
    }

    @Override
    public CompletableFuture<Void> route(String remoteDomain, Element stanza) {
        Jid from = Jid.parseOrNull(stanza.attr("from"));
        if (from == null || !isLocalDomain.test(from.domain())) {
            // Only our own domains can authenticate a link; a relay for another server is never ours to make.
            return CompletableFuture.completedFuture(null);
        }
        return links.linkFor(from.domain(), remoteDomain).send(List.of(stanza)).whenComplete((ok, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                if (cause instanceof LinkFailure linkFailure) {
                    router.bounce(stanza, linkFailure.condition(), linkFailure.getMessage());
                } else {
                    router.bounce(stanza, StanzaError.INTERNAL_SERVER_ERROR, null);
                }
            }
        });
    }
}
