package org.skerry.federation;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.skerry.federation.queue.InboundDeduplicator;
import org.skerry.federation.queue.OutboundQueue;
import org.skerry.federation.link.FederationLinks;
import org.skerry.federation.link.LinkSettings;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.S2sListener;
import org.skerry.federation.link.StaticPeerResolver;
import org.skerry.server.NodeSecrets;
import org.skerry.server.ServerContext;
import org.skerry.server.config.FederationConfig;
import org.skerry.server.module.Module;
import org.skerry.server.module.ModuleContext;

/**
 * Server-to-server federation: when {@code federation.enabled}, listens for peers (STARTTLS and direct TLS), opens
 * links to them, and takes the stanzas the router has for remote domains. Its own event loops, so that s2s traffic
 * and c2s traffic never wait for each other.
 */
public final class FederationModule implements Module {
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private FederationLinks links;
    private OutboundQueue queue;
    private InboundDeduplicator deduplicator;
    private java.util.concurrent.ScheduledFuture<?> expiry;
    private S2sListener listener;
    private int port;
    private int directTlsPort;

    @Override
    public void start(ModuleContext context) {
        ServerContext server = context.server();
        FederationConfig config = server.config().federation();
        if (!config.enabled()) {
            return;
        }
        boss = new MultiThreadIoEventLoopGroup(1, daemonThreads("skerry-s2s-accept"), NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(2, daemonThreads("skerry-s2s-io"), NioIoHandler.newFactory());
        LinkSettings settings = LinkSettings.defaults(config.auth() == FederationConfig.Auth.DIALBACK);
        deduplicator = InboundDeduplicator.forNode(server);
        links = new FederationLinks(server, settings, new StaticPeerResolver(config.hosts()),
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
        expiry = server.scheduler().scheduleWithFixedDelay(deduplicator::expire, 1, 60, java.util.concurrent.TimeUnit.MINUTES);
    }

    /** The STARTTLS s2s port bound (0 if disabled or federation is off). */
    public int port() { return port; }

    public int directTlsPort() { return directTlsPort; }

    /** Every link with its state, for the console and diagnostics; empty when federation is off. */
    public List<LinkStatus> linkStatus() { return links == null ? List.of() : links.status(); }

    /** Per peer: queue depth, in flight, failed attempts, next retry and last error. */
    public List<org.skerry.federation.queue.PeerStatus> queueStatus() { return queue == null ? List.of() : queue.status(); }

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
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
