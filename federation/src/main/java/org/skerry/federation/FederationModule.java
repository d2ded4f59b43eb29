package org.skerry.federation;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.skerry.federation.admin.BlockedDomainRepository;
import org.skerry.federation.admin.FederationAdmin;
import org.skerry.federation.admin.FederationControl;
import org.skerry.federation.link.PeerPolicy;
import org.skerry.federation.queue.InboundDeduplicator;
import org.skerry.federation.queue.OutboundQueue;
import org.skerry.federation.link.FederationLinks;
import org.skerry.federation.link.LinkSettings;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.DnsPeerResolver;
import org.skerry.federation.link.S2sListener;
import org.skerry.federation.link.PeerResolver;
import org.skerry.federation.link.PeerResolverChain;
import org.skerry.federation.link.StaticPeerResolver;
import org.skerry.federation.link.TrustAnchorFiles;
import org.skerry.federation.check.FederationCheck;
import org.skerry.server.NodeSecrets;
import org.skerry.server.DaemonThreads;
import org.skerry.server.ServerContext;
import org.skerry.server.config.FederationConfig;
import org.skerry.server.module.Implements;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;
import org.skerry.server.net.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-to-server federation: when {@code federation.enabled}, listens for peers (STARTTLS and direct TLS), opens
 * links to them, and takes the stanzas the router has for remote domains. Its own event loops, so that s2s traffic
 * and c2s traffic never wait for each other.
 */
@Implements(spec = "RFC 6120", note = "s2s streams: STARTTLS, SASL EXTERNAL, stream errors, whitespace keepalive")
@Implements(spec = "XEP-0220", version = "1.1.1", note = "server dialback, receiving and authoritative roles, piggybacking")
@Implements(spec = "XEP-0185", version = "1.0", note = "dialback keys from a persistent per-node secret")
@Implements(spec = "XEP-0368", version = "1.1.0", note = "direct TLS s2s listener and links, ALPN xmpp-server; SRV _xmpps-server look-ups")
@Implements(spec = "XEP-0288", version = "0.4", note = "bidirectional links, offered and requested (federation.bidi)")
@Implements(spec = "XEP-0359", version = "0.7.0", note = "stanza-id stamped by the durable queue, repeats dropped on receipt")
@Implements(spec = "XEP-0198", version = "1.6.3", note = "s2s acks: a stanza leaves the durable queue on the peer's ack; no s2s resumption")
@Implements(spec = "RFC 2782", note = "SRV look-ups for peers (MiniDNS), A/AAAA fallback on 5269")
public final class FederationModule implements Module {
    private static final Logger log = LoggerFactory.getLogger(FederationModule.class);
    /** A whole DNS look-up of a peer (SRV and addresses); well inside the link's 30 s to authenticate. */

    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private FederationLinks links;
    private StaticPeerResolver hosts;
    private DnsPeerResolver dns;
    private OutboundQueue queue;
    private InboundDeduplicator deduplicator;
    private java.util.concurrent.ScheduledFuture<?> expiry;
    private S2sListener listener;
    private ServerContext server;
    private CheckSupport checkSupport;
    private int port;
    private int directTlsPort;
    private volatile FederationAdmin admin;

    @Override
    public void start(ModuleContext context) {
        server = context.server();
        FederationConfig config = server.config().federation();
        context.onControlCommand("federation",
                new FederationControl(() -> admin, this::check, () -> server.clock().instant()));
        if (!config.enabled()) {
            return;
        }
        LinkSettings settings = LinkSettings.from(config, TrustAnchorFiles.read(config.trustAnchors()));
        BlockedDomainRepository blocks = new BlockedDomainRepository(server.storage().database());
        FederationAdmin.loadRuntimeBlocks(server, settings.peerPolicy(), blocks);
        warnAboutHostsTheAllowListRefuses(config, settings.peerPolicy());
        hosts = new StaticPeerResolver(config.hosts());
        PeerResolver resolver = hosts;
        if (config.dns()) {
            dns = DnsPeerResolver.forConfig(config);
            resolver = new PeerResolverChain(List.of(hosts, dns));
        }
        boss = new MultiThreadIoEventLoopGroup(1, DaemonThreads.named("skerry-s2s-accept"), Transport.current().ioHandlers());
        workers = new MultiThreadIoEventLoopGroup(2, DaemonThreads.named("skerry-s2s-io"), Transport.current().ioHandlers());
        deduplicator = InboundDeduplicator.forNode(server);
        links = new FederationLinks(server, settings, resolver,
                NodeSecrets.load(server.config().dataDir(), "dialback"), workers, deduplicator);
        listener = new S2sListener(links);
        try {
            if (config.port() != 0) {
                port = listener.bind(boss, workers, config.bind(), config.port(), false);
            }
            if (config.directTlsPort() != 0) {
                directTlsPort = listener.bind(boss, workers, config.bind(), config.directTlsPort(), true);
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        // Every stanza for a remote domain is committed to the durable queue before the sender hears it was taken.
        queue = OutboundQueue.start(server, new QueueLinks(links, server::isLocalDomain));
        server.router().setRemoteRouter(queue);
        links.onPeerBack(queue::peerReady);
        // A retry may have to connect first, which takes up to connect_timeout; the wait leaves it a little more.
        admin = new FederationAdmin(server, settings.peerPolicy(), blocks, links, queue,
                config.connectTimeout().plusSeconds(5));
        checkSupport = new CheckSupport(links, server.router());
        expiry = server.scheduler().scheduleWithFixedDelay(deduplicator::expire, 1, 60, java.util.concurrent.TimeUnit.MINUTES);
    }

    /**
     * An entry of federation.hosts says "federate with this domain here"; allow-only mode that leaves it out refuses
     * it in both directions. A typo in either list is the likely cause, so it is named at start, but it is not an
     * error: an admin may keep an address for a peer they only paused.
     */
    private static void warnAboutHostsTheAllowListRefuses(FederationConfig config, PeerPolicy policy) {
        for (String host : policy.hostsRefusedByAllowList(config.hosts().keySet())) {
            log.warn("federation.hosts lists {}, but federation.allowed_domains does not: this node refuses to"
                    + " federate with {} (allow-only mode). Add it to federation.allowed_domains, or remove it from"
                    + " federation.hosts.", host, host);
        }
    }

    /** The admin's view and operations (peers, block, unblock, retry); empty while federation is off. */
    public Optional<FederationAdmin> admin() { return Optional.ofNullable(admin); }

    /** The STARTTLS s2s port bound (0 if disabled or federation is off). */
    public int port() { return port; }

    public int directTlsPort() { return directTlsPort; }

    /** Every link with its state, for the console and diagnostics; empty when federation is off. */
    public List<LinkStatus> linkStatus() { return links == null ? List.of() : links.status(); }

    /** Per peer: queue depth, in flight, failed attempts, next retry and last error. */
    public List<org.skerry.federation.queue.PeerStatus> queueStatus() { return queue == null ? List.of() : queue.status(); }

    /** The bytes of the outbound queue's own files, beside the database; empty when it is kept in the database. */
    public java.util.OptionalLong queueDiskBytes() {
        return queue == null ? java.util.OptionalLong.empty() : queue.diskBytes();
    }

    /**
     * {@code federation check DOMAIN} from inside this node, every step from resolution to ping; with federation
     * off, authentication and ping are skipped. Blocks for as long as the peer takes: never call it on an event loop.
     */
    public List<FederationCheck.Step> check(String domain) {
        if (checkSupport == null) {
            return FederationCheck.withoutNode(server.config(), "federation is off on the running node"
                    + " (federation.enabled = false): nothing would answer the peer", domain, step -> { });
        }
        return FederationCheck.inNode(server.config(), server.tls(), checkSupport, domain, step -> { });
    }

    @Override
    public void stop() {
        if (expiry != null) {
            expiry.cancel(false);
        }
        if (queue != null) {
            queue.close(); // stanzas still queued stay in storage and go out after the next start
        }
        if (listener != null) {
            listener.close();
        }
        if (links != null) {
            links.close();
        }
        if (workers != null) {
            // The quiet period lets the closing streams flush their </stream:stream>.
            workers.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
            boss.shutdownGracefully(0, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
        if (hosts != null) {
            hosts.close();
        }
        if (dns != null) {
            dns.close();
        }
    }
}
