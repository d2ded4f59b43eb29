package org.skerry.federation.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.skerry.server.config.HostPort;

/**
 * The DNS resolver against {@link LoopbackDnsServer} as its only upstream: real DNS messages over UDP on
 * 127.0.0.1, never the system's resolvers.
 */
class DnsPeerResolverTest {
    private static final String LOOPBACK_V6 = "0:0:0:0:0:0:0:1";

    private LoopbackDnsServer dns;
    private DnsPeerResolver resolver;

    @BeforeEach
    void start() throws Exception {
        dns = new LoopbackDnsServer();
        resolver = new DnsPeerResolver(List.of(dns.address()), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        resolver.close();
        dns.close();
    }

    private List<PeerAddress> resolve(String domain) throws Exception {
        return resolver.resolve(domain).get(10, TimeUnit.SECONDS);
    }

    @Test
    void srvTargetsOfBothServicesComeInPriorityOrderAsAddresses() throws Exception {
        dns.srv("_xmpp-server._tcp.peer.test", 5, 0, 5269, "first.peer.test")
                .srv("_xmpps-server._tcp.peer.test", 10, 0, 5270, "second.peer.test")
                .srv("_xmpp-server._tcp.peer.test", 20, 0, 15269, "third.peer.test")
                .a("first.peer.test", "127.0.0.2")
                .a("second.peer.test", "127.0.0.3").aaaa("second.peer.test", "::1")
                .a("third.peer.test", "127.0.0.4")
                .a("peer.test", "127.0.0.99"); // SRV records exist, so the domain's own address is not a target

        assertThat(resolve("peer.test")).containsExactly(
                new PeerAddress("127.0.0.2", 5269, false),
                new PeerAddress("127.0.0.3", 5270, true),
                new PeerAddress(LOOPBACK_V6, 5270, true),
                new PeerAddress("127.0.0.4", 15269, false));
    }

    @Test
    void equalPrioritiesAreAllKeptWhateverTheDraw() throws Exception {
        dns.srv("_xmpps-server._tcp.peer.test", 1, 70, 5270, "heavy.peer.test")
                .srv("_xmpp-server._tcp.peer.test", 1, 30, 5269, "light.peer.test")
                .a("heavy.peer.test", "127.0.0.2").a("light.peer.test", "127.0.0.3");

        assertThat(resolve("peer.test")).containsExactlyInAnyOrder(
                new PeerAddress("127.0.0.2", 5270, true), new PeerAddress("127.0.0.3", 5269, false));
    }

    @Test
    void aDotTargetMeansNoServiceAndNoFallback() throws Exception {
        dns.srv("_xmpp-server._tcp.peer.test", 0, 0, 0, ".")
                .a("peer.test", "127.0.0.2");

        assertThat(resolve("peer.test")).isEmpty();
        // Neither the domain's address (fallback) nor the root's (as if "." were a host) was asked for.
        assertThat(dns.asked()).extracting(q -> q.name.ace)
                .containsExactly("_xmpps-server._tcp.peer.test", "_xmpp-server._tcp.peer.test");
    }

    @Test
    void aDotTargetForOneServiceLeavesTheOther() throws Exception {
        dns.srv("_xmpp-server._tcp.peer.test", 0, 0, 0, ".")
                .srv("_xmpps-server._tcp.peer.test", 0, 0, 5270, "tls.peer.test")
                .a("tls.peer.test", "127.0.0.2");

        assertThat(resolve("peer.test")).containsExactly(new PeerAddress("127.0.0.2", 5270, true));
    }

    @Test
    void withoutSrvRecordsTheDomainsOwnAddressesAreTriedOn5269WithStartTls() throws Exception {
        dns.a("peer.test", "127.0.0.5").aaaa("peer.test", "::1");

        assertThat(resolve("peer.test")).containsExactly(
                new PeerAddress("127.0.0.5", 5269, false), new PeerAddress(LOOPBACK_V6, 5269, false));
        assertThat(dns.asked()).extracting(q -> q.name.ace + " " + q.type).containsExactly(
                "_xmpps-server._tcp.peer.test SRV", "_xmpp-server._tcp.peer.test SRV",
                "peer.test A", "peer.test AAAA");
    }

    @Test
    void aDomainThatDoesNotExistFailsTheLookUpForGood() throws Exception {
        dns.a("other.test", "127.0.0.2");

        assertThatThrownBy(() -> resolve("nowhere.test")).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(NoSuchDomainException.class)
                .hasMessage("DNS says nowhere.test does not exist (NXDOMAIN)");
        assertThat(dns.asked()).extracting(q -> q.name.ace + " " + q.type).containsExactly(
                "_xmpps-server._tcp.nowhere.test SRV", "_xmpp-server._tcp.nowhere.test SRV",
                "nowhere.test A", "nowhere.test AAAA");
    }

    @Test
    void aDomainThatExistsWithoutAnyServerRecordHasNoServerButIsNotDeclaredMissing() throws Exception {
        // NOERROR with no answers (NODATA) for A and AAAA: the name is there, only its addresses are not (yet).
        dns.srv("bare.test", 0, 0, 5269, "elsewhere.test");

        assertThat(resolve("bare.test")).isEmpty();
    }

    @Test
    void srvTargetsThatDoNotExistAreAMisconfigurationNotAMissingDomain() throws Exception {
        dns.srv("_xmpp-server._tcp.peer.test", 0, 0, 5269, "gone.peer.test");

        assertThat(resolve("peer.test")).isEmpty();
    }

    @Test
    void aDomainWhoseServersDoNotAnswerIsNotDeclaredMissing() throws Exception {
        dns.a("other.test", "127.0.0.2").silentFor("slow.test");
        try (DnsPeerResolver impatient = new DnsPeerResolver(List.of(dns.address()), Duration.ofMillis(500))) {
            assertThatThrownBy(() -> impatient.resolve("slow.test").get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isNotInstanceOf(NoSuchDomainException.class);
        }
    }

    @Test
    void aSilentServerFailsTheLookUpAfterTheTimeout() throws Exception {
        dns.beSilent();
        try (DnsPeerResolver impatient = new DnsPeerResolver(List.of(dns.address()), Duration.ofMillis(500))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> impatient.resolve("peer.test").get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
        assertThat(dns.asked()).isNotEmpty(); // the query did reach the loopback server, and only it
    }

    @Test
    void staticHostsOverrideDnsWhichKnowsEveryOtherDomain() throws Exception {
        dns.a("peer.test", "127.0.0.2").a("other.test", "127.0.0.3");
        PeerResolver chain = new PeerResolverChain(List.of(
                new StaticPeerResolver(Map.of("peer.test", new HostPort("127.0.0.7", 15269))), resolver));

        assertThat(chain.resolve("peer.test").get(10, TimeUnit.SECONDS))
                .containsExactly(new PeerAddress("127.0.0.7", 15269, false));
        assertThat(chain.resolve("other.test").get(10, TimeUnit.SECONDS))
                .containsExactly(new PeerAddress("127.0.0.3", 5269, false));
        assertThat(chain.knows("anything.test")).isTrue();
        assertThat(dns.asked()).noneMatch(q -> q.name.ace.endsWith("peer.test"));
    }

    @Test
    void withoutDnsOnlyStaticHostsAreKnown() {
        PeerResolver hostsOnly = new PeerResolverChain(List.of(
                new StaticPeerResolver(Map.of("peer.test", new HostPort("127.0.0.7", 15269)))));

        assertThat(hostsOnly.knows("peer.test")).isTrue();
        assertThat(hostsOnly.knows("other.test")).isFalse();
    }
}
