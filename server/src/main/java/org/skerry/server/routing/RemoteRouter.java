package org.skerry.server.routing;

import java.util.concurrent.CompletableFuture;
import org.skerry.server.xml.Element;

/**
 * Where stanzas for domains this node does not serve go. The federation module implements it and registers it at
 * start-up; the core knows nothing of server-to-server links.
 */
public interface RemoteRouter {
    /**
     * Accepts a stanza for a remote domain. The future completes once the stanza is accepted for delivery
     * (durably queued), or exceptionally when it is refused; refusal has already been bounced to the sender.
     */
    CompletableFuture<Void> route(String remoteDomain, Element stanza);
}
