package org.skerry.federation;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.skerry.federation.link.DirectRemoteRouter;
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
        links = new FederationLinks(server, settings, new StaticPeerResolver(config.hosts()),
                NodeSecrets.load(server.config().dataDir(), "dialback"), workers);
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
        server.router().setRemoteRouter(new DirectRemoteRouter(links, server.router(), server::isLocalDomain));
    }

    /** The STARTTLS s2s port bound (0 if disabled or federation is off). */
    public int port() { return port; }

    public int directTlsPort() { return directTlsPort; }

    /** Every link with its state, for the console and diagnostics; empty when federation is off. */
    public List<LinkStatus> linkStatus() { return links == null ? List.of() : links.status(); }

    @Override
    public void stop() {
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
