package org.skerry.federation.link;

import io.netty.util.NetUtil;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.skerry.server.config.HostPort;

/**
 * {@code [federation.hosts]}: static host:port per peer domain, for private networks and tests. It knows only the
 * listed domains; with {@code federation.dns} it stands in front of {@link DnsPeerResolver}.
 *
 * <p>A host given as a name ({@code localhost}, {@code peer.lan}) is resolved by the system resolver (hosts file,
 * then DNS) on a look-up thread, and the answer is IP literals, so that connecting never resolves on an event loop.
 */
public final class StaticPeerResolver implements PeerResolver, AutoCloseable {
    private final Map<String, HostPort> hosts;
    private final LookupThreads lookups = new LookupThreads("skerry-hosts", 1);

    public StaticPeerResolver(Map<String, HostPort> hosts) { this.hosts = Map.copyOf(hosts); }

    @Override
    public CompletableFuture<List<PeerAddress>> resolve(String domain) {
        HostPort target = hosts.get(domain);
        if (target == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (NetUtil.isValidIpV4Address(target.host()) || NetUtil.isValidIpV6Address(target.host())) {
            return CompletableFuture.completedFuture(List.of(new PeerAddress(target.host(), target.port(), false)));
        }
        return lookups.run(() -> addressesOf(target));
    }

    /** Every address of the host, IPv4 first (as {@link DnsPeerResolver} orders them), each on the entry's port. */
    private static List<PeerAddress> addressesOf(HostPort target) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(target.host());
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("federation.hosts names the host " + target.host()
                    + ", which does not resolve", e);
        }
        List<InetAddress> ordered = new ArrayList<>(List.of(addresses));
        ordered.sort(Comparator.comparing(address -> !(address instanceof Inet4Address)));
        return ordered.stream().map(address -> new PeerAddress(address.getHostAddress(), target.port(), false)).toList();
    }

    @Override
    public boolean knows(String domain) { return hosts.containsKey(domain); }

    @Override
    public void close() { lookups.close(); }
}
