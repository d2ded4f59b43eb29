package org.skerry.federation.link;

import java.util.List;

/**
 * Finds the servers of a peer domain, in the order to try them.
 *
 * <p>TODO (issue 3, "Finding peers"): a DNS implementation with a maintained resolver library (MiniDNS or dnsjava):
 * SRV {@code _xmpps-server._tcp} and {@code _xmpp-server._tcp} ordered by priority and weighted by weight, falling
 * back to A/AAAA on port 5269; {@link StaticPeerResolver} stays in front of it so that {@code federation.hosts}
 * overrides DNS. It must not block the event loop: look-ups return on a future or run on a worker.
 */
public interface PeerResolver {
    /** The targets for {@code domain}, best first; empty when the domain has no server. */
    List<PeerAddress> resolve(String domain);

    /**
     * Whether {@code domain} could have a server at all. False only when no look-up can ever succeed (no static
     * entry and no DNS), so that stanzas bounce at once with remote-server-not-found instead of waiting in the
     * durable queue for a peer that cannot exist.
     */
    default boolean knows(String domain) { return true; }
}
