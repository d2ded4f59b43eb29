package org.skerry.federation.link;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.skerry.server.config.HostPort;

/**
 * {@code [federation.hosts]}: static host:port per peer domain, for private networks and tests. It knows only the
 * listed domains; with {@code federation.dns} it stands in front of {@link DnsPeerResolver}.
 */
public final class StaticPeerResolver implements PeerResolver {
    private final Map<String, HostPort> hosts;

    public StaticPeerResolver(Map<String, HostPort> hosts) { this.hosts = Map.copyOf(hosts); }

    @Override
    public CompletableFuture<List<PeerAddress>> resolve(String domain) {
        HostPort target = hosts.get(domain);
        return CompletableFuture.completedFuture(
                target == null ? List.of() : List.of(new PeerAddress(target.host(), target.port(), false)));
    }

    @Override
    public boolean knows(String domain) { return hosts.containsKey(domain); }
}
