package org.skerry.federation.link;

import java.util.List;
import java.util.Map;
import org.skerry.server.config.HostPort;

/**
 * {@code [federation.hosts]}: static host:port per peer domain, for private networks and tests. Until DNS look-ups
 * exist (see {@link PeerResolver}), a domain that is not listed has no known server.
 */
public final class StaticPeerResolver implements PeerResolver {
    private final Map<String, HostPort> hosts;

    public StaticPeerResolver(Map<String, HostPort> hosts) { this.hosts = Map.copyOf(hosts); }

    @Override
    public List<PeerAddress> resolve(String domain) {
        HostPort target = hosts.get(domain);
        return target == null ? List.of() : List.of(new PeerAddress(target.host(), target.port(), false));
    }

    /** Without DNS look-ups (see {@link PeerResolver}), only the listed domains have a server. */
    @Override
    public boolean knows(String domain) { return hosts.containsKey(domain); }
}
