package org.skerry.federation.link;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.skerry.server.net.ListenerBinding;
import org.skerry.server.net.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The server listeners: STARTTLS on one port, XEP-0368 direct TLS on another. */
public final class S2sListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(S2sListener.class);

    private final FederationLinks links;
    private final List<Channel> bound = new ArrayList<>();

    public S2sListener(FederationLinks links) { this.links = links; }

    /** Binds and returns the port it got (the real one when asked for port 0). */
    public int bind(EventLoopGroup boss, EventLoopGroup workers, String address, int port, boolean directTls) {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(Transport.current().serverChannel())
                .option(ChannelOption.SO_BACKLOG, 256)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (directTls) {
                            ch.pipeline().addLast("tls", DirectTlsAlpn.on(
                                    links.tls().serverContextRequestingClientCert().newHandler(ch.alloc())));
                        }
                        S2sPipeline.configure(ch.pipeline(), links.settings(), new InboundStream(links));
                    }
                });
        Channel channel = ListenerBinding.bind(bootstrap, address, port, "servers");
        bound.add(channel);
        int actual = ((InetSocketAddress) channel.localAddress()).getPort();
        log.info("Listening for servers on {}:{} ({})", address, actual, directTls ? "direct TLS" : "STARTTLS");
        return actual;
    }

    @Override
    public void close() {
        for (Channel channel : bound) {
            channel.close().syncUninterruptibly();
        }
        bound.clear();
    }
}
