package org.skerry.federation.link;

import org.skerry.federation.queue.InboundDeduplicator;
import org.skerry.federation.queue.PeerLink;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.skerry.server.ServerContext;
import org.skerry.server.metrics.StanzaCounters;
import org.skerry.server.tls.TlsManager;
import org.skerry.server.xmpp.StreamError;

/**
 * All links of this node: outbound links by domain pair (opened on first use, forgotten when they end), the open
 * inbound streams (counted against the limit), and dialback verifications. Also what the streams share: settings,
 * TLS, the dialback secret, the certificate checks and the event loops.
 */
public final class FederationLinks implements AutoCloseable {
    private record DomainPair(String local, String remote) {}

    private final ServerContext server;
    private final LinkSettings settings;
    private final PeerResolver resolver;
    private final DialbackKeys dialbackKeys;
    private final PeerCertificates certificates;
    private final EventLoopGroup loops;
    private final StanzaCounters stanzas;
    private final Map<DomainPair, OutboundLink> outbound = new ConcurrentHashMap<>();
    /** Inbound streams that carry our stanzas back to their peer (XEP-0288), by the pair they carry. */
    private final Map<DomainPair, PeerLink> overInbound = new ConcurrentHashMap<>();
    /** The last state of outbound links that ended, so that diagnostics still show why a peer is unreachable. */
    private final Map<DomainPair, LinkStatus> ended = new ConcurrentHashMap<>();
    private final Set<InboundStream> inbound = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inboundCount = new AtomicInteger();
    /** Open inbound links per remote IP address, so that one host cannot take all of max_inbound_links. */
    private final Map<String, Integer> inboundPerIp = new HashMap<>();
    private volatile boolean closed;
    private final InboundDeduplicator deduplicator;
    private volatile Consumer<String> peerBack = domain -> {};

    public FederationLinks(ServerContext server, LinkSettings settings, PeerResolver resolver, byte[] dialbackSecret,
                           EventLoopGroup loops, InboundDeduplicator deduplicator) {
        this.server = server;
        this.deduplicator = deduplicator;
        this.settings = settings;
        this.resolver = resolver;
        this.dialbackKeys = new DialbackKeys(dialbackSecret);
        this.certificates = new PeerCertificates(settings.trustAnchors());
        this.loops = loops;
        this.stanzas = new StanzaCounters(server.meters(), "s2s");
    }

    /**
     * The link that carries stanzas from the served {@code localDomain} to {@code remoteDomain}: our own link if there
     * is one, else a stream the peer opened that is bidirectional for this pair, else a new link, opened now.
     */
    public PeerLink linkFor(String localDomain, String remoteDomain) {
        DomainPair pair = new DomainPair(localDomain, remoteDomain);
        PeerLink bidirectional = overInbound.get(pair);
        if (bidirectional != null && !outbound.containsKey(pair)) {
            return bidirectional;
        }
        OutboundLink[] opened = new OutboundLink[1];
        OutboundLink link = outbound.computeIfAbsent(pair, p -> opened[0] = new OutboundLink(this, p.local(), p.remote()));
        if (opened[0] != null) {
            if (closed) {
                opened[0].shutdown();
            } else {
                link.open();
            }
        }
        return link;
    }

    /**
     * Whom to tell that a peer proved it is up again by authenticating a link to us, e.g. the outbound queue, so
     * that it retries that peer now rather than when its backoff (up to federation.retry_max) runs out.
     */
    public void onPeerBack(Consumer<String> listener) { this.peerBack = listener; }

    void peerIsBack(String domain) { peerBack.accept(domain); }

    /** An inbound stream may carry stanzas from {@code localDomain} to {@code remoteDomain} (XEP-0288). */
    void carryOver(String localDomain, String remoteDomain, PeerLink link) {
        overInbound.put(new DomainPair(localDomain, remoteDomain), link);
    }

    /** The inbound stream that carried that pair ended: the next send opens a link of our own. */
    void dropCarryOver(String localDomain, String remoteDomain, PeerLink link) {
        overInbound.remove(new DomainPair(localDomain, remoteDomain), link);
    }

    /** Called by a link that ended; the next send to that peer opens a new one. */
    void forget(OutboundLink link) {
        DomainPair pair = new DomainPair(link.localDomain, link.remoteDomain);
        ended.put(pair, link.status());
        outbound.remove(pair, link);
    }

    /**
     * The dialback key this node, originating as {@code localDomain}, sends {@code remoteDomain} on the stream that
     * {@code remoteDomain} gave {@code streamId}: the key this node's listener confirms when the peer asks back
     * (XEP-0220 §2.2). For federation check, which authenticates on a stream of its own.
     */
    public String dialbackKey(String remoteDomain, String localDomain, String streamId) {
        return dialbackKeys.generate(remoteDomain, localDomain, streamId);
    }

    /** Asks the authoritative server of {@code originating} whether {@code key} is genuine (XEP-0220 §2.3). */
    CompletableFuture<Boolean> verifyDialback(String receiving, String originating, String streamId, String key) {
        DialbackVerification verification = new DialbackVerification(this, receiving, originating, streamId, key);
        verification.open();
        return verification.verdict();
    }

    synchronized boolean admitInbound(InboundStream stream, String remoteIp) {
        int fromIp = inboundPerIp.getOrDefault(remoteIp, 0);
        if (closed || inboundCount.get() >= settings.maxInboundLinks() || fromIp >= settings.maxInboundLinksPerIp()) {
            return false;
        }
        inboundCount.incrementAndGet();
        inboundPerIp.put(remoteIp, fromIp + 1);
        inbound.add(stream);
        return true;
    }

    synchronized void releaseInbound(InboundStream stream, String remoteIp) {
        if (inbound.remove(stream)) {
            inboundCount.decrementAndGet();
            inboundPerIp.computeIfPresent(remoteIp, (ip, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Every link, open ones first, then the last state of outbound links that ended. */
    /** Drops stanzas a peer sends again after a reconnect (XEP-0359 ids stamped by its durable queue). */
    InboundDeduplicator deduplicator() { return deduplicator; }

    /** Whether the configuration's lists or the admin's runtime blocks forbid any traffic with {@code domain}. */
    public boolean isBlocked(String domain) { return settings.peerPolicy().isBlocked(domain); }

    /**
     * Ends every link with {@code domain}, outbound and inbound, with {@code error}: the admin just blocked it, and a
     * link that authenticated before must not carry another stanza. Returns how many links were open.
     */
    public int closeLinksWith(String domain, StreamError error) {
        int open = 0;
        for (OutboundLink link : outbound.values()) {
            if (link.remoteDomain.equals(domain)) {
                link.closeWith(error);
                open++;
            }
        }
        for (InboundStream stream : inbound) {
            if (domain.equals(stream.status().peerDomain())) {
                open++;
            }
            stream.closeIfFrom(domain, error); // also a stream that authenticated it besides another domain
        }
        return open;
    }

    /** Whether a server for {@code domain} can be found at all: a federation.hosts entry, or any domain with DNS. */
    public boolean canResolve(String domain) { return resolver.knows(domain); }

    public List<LinkStatus> status() {
        List<LinkStatus> out = new ArrayList<>();
        outbound.values().forEach(link -> out.add(link.status()));
        inbound.forEach(stream -> out.add(stream.status()));
        ended.forEach((pair, status) -> {
            if (!outbound.containsKey(pair)) {
                out.add(status);
            }
        });
        return out;
    }

    /** Closes every link; new ones are refused from now on. */
    @Override
    public void close() {
        closed = true;
        outbound.values().forEach(OutboundLink::shutdown);
        inbound.forEach(stream -> stream.close(new org.skerry.server.xmpp.StreamError(
                org.skerry.server.xmpp.StreamError.Condition.SYSTEM_SHUTDOWN)));
    }

    // ---------------------------------------------------------------- shared with the streams

    ServerContext server() { return server; }

    LinkSettings settings() { return settings; }

    PeerResolver resolver() { return resolver; }

    DialbackKeys dialbackKeys() { return dialbackKeys; }

    PeerCertificates certificates() { return certificates; }

    TlsManager tls() { return server.tls(); }

    EventLoop nextLoop() { return loops.next(); }

    /** Stanzas over s2s, in and out, for the node's metrics. */
    StanzaCounters stanzaCounters() { return stanzas; }
}
