package org.skerry.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.skerry.server.ServerContext;
import org.skerry.server.metrics.StanzaCounters;
import org.skerry.server.stream.Authenticators;
import org.skerry.server.stream.C2sSettings;
import org.skerry.server.stream.ClientStream;
import org.skerry.server.stream.ConnectionLimits;
import org.skerry.server.stream.StreamTls;
import org.skerry.server.xml.XmlLimits;
import org.skerry.server.xml.XmlStreamDecoder;
import org.skerry.server.xmpp.Namespaces;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client listeners: STARTTLS on one port, XEP-0368 direct TLS on another; a port of 0 disables it. */
public final class C2sListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(C2sListener.class);
    private static final StanzaEncoder ENCODER = new StanzaEncoder(Namespaces.CLIENT);

    private final ServerContext server;
    private final C2sSettings settings;
    private final XmlLimits xmlLimits;
    private final StreamTls tls;
    private final ConnectionLimits limits;
    private final Authenticators authenticators;
    private final StanzaCounters stanzas;
    private final List<Channel> bound = new ArrayList<>();

    public C2sListener(ServerContext server, C2sSettings settings, XmlLimits xmlLimits, StreamTls tls, Authenticators authenticators) {
        this.server = server;
        this.settings = settings;
        this.xmlLimits = xmlLimits;
        this.tls = tls;
        this.authenticators = authenticators;
        this.limits = new ConnectionLimits(settings.maxConnections(), settings.maxConnectionsPerIp());
        this.stanzas = new StanzaCounters(server.meters(), "c2s");
    }

    /** Binds a listener and returns the port it got (the real one when asked for port 0). */
    public int bind(EventLoopGroup boss, EventLoopGroup workers, String address, int port, boolean directTls) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transport.current().serverChannel())
                // Room for thousands of clients reconnecting at once after an outage; the kernel caps it at
                // net.core.somaxconn.
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(settings.writeBufferLow(), settings.writeBufferHigh()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (directTls) {
                            p.addLast("tls", tls.newDirectTlsHandler(ch.alloc()));
                        }
                        long readerIdle = ClientStream.readerIdlePeriod(settings).toMillis();
                        p.addLast("idle", new IdleStateHandler(readerIdle, settings.keepaliveInterval().toMillis(), 0,
                                TimeUnit.MILLISECONDS));
                        p.addLast("xml", new XmlStreamDecoder(xmlLimits));
                        p.addLast("encoder", ENCODER);
                        p.addLast("stream", new ClientStream(server, settings, tls, limits, authenticators, stanzas,
                                directTls));
                    }
                });
        Channel channel = ListenerBinding.bind(bootstrap, address, port, "clients");
        bound.add(channel);
        int actual = ((InetSocketAddress) channel.localAddress()).getPort();
        log.info("Listening for clients on {}:{} ({})", address, actual, directTls ? "direct TLS" : "STARTTLS");
        return actual;
    }

    public int openConnections() { return limits.open(); }

    @Override
    public void close() {
        for (Channel channel : bound) {
            channel.close().syncUninterruptibly();
        }
        bound.clear();
    }
}
