package org.skerry.federation.link;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Finds the servers of a peer domain, in the order to try them: {@link StaticPeerResolver} for
 * {@code federation.hosts}, {@link DnsPeerResolver} for DNS, and {@link PeerResolverChain} to put the first in front.
 * The answer comes on a future because DNS look-ups must never block the event loop that asks.
 */
public interface PeerResolver {
    /** The targets for {@code domain}, best first; empty when the domain has no server. */
    CompletableFuture<List<PeerAddress>> resolve(String domain);

    /**
     * Whether {@code domain} could have a server at all. False only when no look-up can ever succeed (no static
     * entry and no DNS), so that stanzas bounce at once with remote-server-not-found instead of waiting in the
     * durable queue for a peer that cannot exist.
     */
    default boolean knows(String domain) { return true; }
}
