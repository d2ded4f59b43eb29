package org.skerry.federation.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.minidns.DnsClient;
import org.minidns.cache.LruCache;
import org.minidns.dnsmessage.DnsMessage;
import org.minidns.dnsmessage.DnsMessage.RESPONSE_CODE;
import org.minidns.dnsmessage.Question;
import org.minidns.record.A;
import org.minidns.record.AAAA;
import org.minidns.record.Data;
import org.minidns.record.InternetAddressRR;
import org.minidns.record.Record;
import org.minidns.record.SRV;
import org.minidns.source.NetworkDataSource;

/**
 * Finds a peer's servers in DNS (RFC 6120 §3.2, XEP-0368): the SRV records of {@code _xmpps-server._tcp.DOMAIN}
 * (direct TLS) and {@code _xmpp-server._tcp.DOMAIN} (STARTTLS) in one RFC 2782 order, each target expanded to its
 * A then AAAA addresses; when the domain has neither SRV record, its own A/AAAA addresses on port 5269. When every
 * one of those names is NXDOMAIN the domain does not exist, and the look-up says so ({@link NoSuchDomainException})
 * rather than answering "no servers", so that its stanzas bounce at once instead of being retried.
 *
 * <p>The answer holds IP literals, so that connecting never resolves a name on the event loop. MiniDNS queries
 * block, so they run on this resolver's own threads, and the whole look-up fails after the timeout.
 */
public final class DnsPeerResolver implements PeerResolver, AutoCloseable {
    /** The s2s port when a domain has no SRV records (RFC 6120 §3.2.2). */
    static final int DEFAULT_PORT = 5269;
    private static final int LOOKUP_THREADS = 2;

    private final List<InetSocketAddress> upstreams;
    private final Duration timeout;
    private final DnsClient client;
    private final LookupThreads lookups;
    private final RandomGenerator random = new SecureRandom();

    /**
     * @param upstreams recursive DNS servers, asked in order until one answers
     * @param timeout   for one whole look-up (several queries), and for each query
     */
    public DnsPeerResolver(List<InetSocketAddress> upstreams, Duration timeout) {
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("no DNS server to ask");
        }
        this.upstreams = List.copyOf(upstreams);
        this.timeout = timeout;
        NetworkDataSource network = new NetworkDataSource();
        network.setTimeout((int) timeout.toMillis());
        // An own cache, not MiniDNS's process-wide default, so that answers from one resolver never leak into another.
        this.client = new DnsClient(new LruCache());
        client.setDataSource(network);
        this.lookups = new LookupThreads("skerry-dns", LOOKUP_THREADS);
    }

    /** Asks the resolvers the system is configured with (resolv.conf), on port 53. */
    /** The resolver {@code [federation]} asks for: its dns_servers, or the system's resolvers when none are set. */
    public static DnsPeerResolver forConfig(org.skerry.server.config.FederationConfig config) {
        if (config.dnsServers().isEmpty()) {
            return usingSystemResolvers(DEFAULT_TIMEOUT);
        }
        return new DnsPeerResolver(config.dnsServers().stream()
                .map(upstream -> new InetSocketAddress(upstream.host(), upstream.port())).toList(), DEFAULT_TIMEOUT);
    }

    /** How long one look-up (all its queries) may take. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public static DnsPeerResolver usingSystemResolvers(Duration timeout) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (InetAddress server : DnsClient.findDnsAddresses()) {
            servers.add(new InetSocketAddress(server, 53));
        }
        if (servers.isEmpty()) {
            throw new IllegalStateException("federation.dns is on but the system names no DNS server"
                    + " (no nameserver in /etc/resolv.conf); configure one, or set federation.dns = false");
        }
        return new DnsPeerResolver(servers, timeout);
    }

    /**
     * Fails with {@link NoSuchDomainException} when DNS says the domain does not exist, which no retry cures; with
     * {@link java.util.concurrent.TimeoutException} after the timeout, or with the DNS error, which a retry may.
     */
    @Override
    public CompletableFuture<List<PeerAddress>> resolve(String domain) {
        return lookups.run(() -> lookUp(domain))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Any domain may have servers in DNS. */
    @Override
    public boolean knows(String domain) { return true; }

    private List<PeerAddress> lookUp(String domain) {
        Answer<SRV> directTls = query("_xmpps-server._tcp." + domain, Record.TYPE.SRV, SRV.class);
        Answer<SRV> startTls = query("_xmpp-server._tcp." + domain, Record.TYPE.SRV, SRV.class);
        List<PeerAddress> targets = new ArrayList<>();
        if (directTls.records().isEmpty() && startTls.records().isEmpty()) {
            Answer<A> v4 = query(domain, Record.TYPE.A, A.class);
            Answer<AAAA> v6 = query(domain, Record.TYPE.AAAA, AAAA.class);
            if (!directTls.nameExists() && !startTls.nameExists() && !v4.nameExists() && !v6.nameExists()) {
                throw new NoSuchDomainException(domain);
            }
            for (String address : addresses(v4, v6)) {
                targets.add(new PeerAddress(address, DEFAULT_PORT, false));
            }
            return targets;
        }
        List<ServiceRecord> available = new ArrayList<>();
        addAvailable(directTls.records(), true, available);
        addAvailable(startTls.records(), false, available);
        for (ServiceRecord record : SrvOrder.order(available, random)) {
            for (String address : addressesOf(record.target())) {
                targets.add(new PeerAddress(address, record.port(), record.directTls()));
            }
        }
        return targets;
    }

    /** A target of "." says the service is decidedly not available (RFC 2782): it is skipped, and no fallback. */
    private static void addAvailable(List<Record<SRV>> records, boolean directTls, List<ServiceRecord> out) {
        for (Record<SRV> record : records) {
            SRV srv = record.payloadData;
            if (srv.isServiceAvailable()) {
                out.add(new ServiceRecord(srv.priority, srv.weight, srv.target.ace, srv.port, directTls));
            }
        }
    }

    /** IPv4 first: a host without IPv6 routes would otherwise wait out a connect timeout per AAAA target. */
    private List<String> addressesOf(String host) {
        return addresses(query(host, Record.TYPE.A, A.class), query(host, Record.TYPE.AAAA, AAAA.class));
    }

    private static List<String> addresses(Answer<A> v4, Answer<AAAA> v6) {
        List<String> addresses = new ArrayList<>();
        for (Record<A> a : v4.records()) {
            addresses.add(literal(a.payloadData));
        }
        for (Record<AAAA> aaaa : v6.records()) {
            addresses.add(literal(aaaa.payloadData));
        }
        return addresses;
    }

    private static String literal(InternetAddressRR<?> address) {
        return address.getInetAddress().getHostAddress();
    }

    /**
     * What an upstream answered for one name and type.
     *
     * @param records    the records of the type asked for; none when the name has none or does not exist
     * @param nameExists false only on NXDOMAIN, the authoritative word that the name does not exist at all
     */
    private record Answer<D extends Data>(List<Record<D>> records, boolean nameExists) {}

    /** The answer of the first upstream that gives one; SERVFAIL, refusals and timeouts fail the look-up. */
    private <D extends Data> Answer<D> query(String name, Record.TYPE type, Class<D> data) {
        Question question = new Question(name, type);
        IOException failure = null;
        for (InetSocketAddress upstream : upstreams) {
            try {
                DnsMessage response = client.query(question, upstream.getAddress(), upstream.getPort()).response;
                RESPONSE_CODE code = response.responseCode;
                if (code == RESPONSE_CODE.NO_ERROR || code == RESPONSE_CODE.NX_DOMAIN) {
                    return new Answer<>(response.filterAnswerSectionBy(data), code == RESPONSE_CODE.NO_ERROR);
                }
                failure = new IOException(upstream + " answered " + code + " for " + question);
            } catch (IOException e) {
                failure = e;
            }
        }
        throw new UncheckedIOException("DNS look-up of " + name + " " + type + " failed: " + failure.getMessage(),
                failure);
    }

    @Override
    public void close() { lookups.close(); }
}
