package org.skerry.federation.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.skerry.server.config.HostPort;

/**
 * federation.hosts entries come back as IP literals, so that the link connects without resolving a name on its event
 * loop: a host name is resolved (here "localhost", from the hosts file) on the resolver's own thread.
 */
class StaticPeerResolverTest {
    @Test
    void aHostNameComesBackAsItsAddressesIpv4First() throws Exception {
        try (StaticPeerResolver hosts = new StaticPeerResolver(Map.of("peer.test", new HostPort("localhost", 15269)))) {
            List<PeerAddress> targets = hosts.resolve("peer.test").get(10, TimeUnit.SECONDS);

            assertThat(targets).isNotEmpty().first().isEqualTo(new PeerAddress("127.0.0.1", 15269, false));
            assertThat(targets).allSatisfy(target -> {
                assertThat(io.netty.util.NetUtil.createInetAddressFromIpAddressString(target.host()))
                        .as("%s is an IP literal", target.host()).isNotNull();
                assertThat(target.port()).isEqualTo(15269);
            });
        }
    }

    @Test
    void anIpLiteralIsTakenAsItIs() throws Exception {
        try (StaticPeerResolver hosts = new StaticPeerResolver(Map.of("a.test", new HostPort("127.0.0.7", 5269),
                "b.test", new HostPort("::1", 15269)))) {
            assertThat(hosts.resolve("a.test").getNow(null)).containsExactly(new PeerAddress("127.0.0.7", 5269, false));
            assertThat(hosts.resolve("b.test").getNow(null)).containsExactly(new PeerAddress("::1", 15269, false));
            assertThat(hosts.resolve("c.test").getNow(null)).isEmpty();
        }
    }
}
