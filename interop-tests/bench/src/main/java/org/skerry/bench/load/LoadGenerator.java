package org.skerry.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.skerry.bench.xml.XmlFrameDecoder;
import org.skerry.bench.xmpp.ClientSession;

/**
 * The Netty side of a run: a few event loops (one per core) carrying every connection, pooled direct buffers,
 * and the local addresses connections are bound to, round robin, so that many closes and reconnects do not run
 * out of one address's ephemeral ports.
 */
public final class LoadGenerator implements AutoCloseable {
    private static final int MAX_ELEMENT_BYTES = 1 << 20;

    private final EventLoopGroup group;
    private final Bootstrap template;
    private final List<InetSocketAddress> sourceAddresses;

    public LoadGenerator(int ioThreads, List<String> sourceIps, Duration connectTimeout) {
        group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("bench-io", true),
                NioIoHandler.newFactory());
        template = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(connectTimeout.toMillis(), 30_000))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024));
        sourceAddresses = sourceIps.stream().map(ip -> new InetSocketAddress(ip, 0)).toList();
    }

    /**
     * A client TLS context that trusts any certificate (a benchmark, not a security check): TLS 1.3 and 1.2,
     * offering the named {@code groups} (comma-separated). BoringSSL (netty-tcnative) does the client's crypto when
     * it loads, at a fraction of the JDK engine's CPU, which on a shared 2-core machine is CPU the server under test
     * keeps; {@code jdkEngine} forces the JDK's. The JDK reads its groups once per process, from the system
     * property jdk.tls.namedGroups, so there the first context of the process decides. Without {@code resume} the
     * BoringSSL client caches no sessions (the JDK engine may still resume).
     */
    public static SslContext trustingTlsContext(String groups, boolean jdkEngine, boolean resume) {
        String[] groupList = groups.split(",");
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .protocols("TLSv1.3", "TLSv1.2");
            if (!jdkEngine && OpenSsl.isAvailable()) {
                builder.sslProvider(SslProvider.OPENSSL).option(OpenSslContextOption.GROUPS, groupList);
            } else {
                System.setProperty("jdk.tls.namedGroups", groups);
                builder.sslProvider(SslProvider.JDK);
            }
            SslContext context = builder.build();
            if (!resume && context.sessionContext() instanceof OpenSslSessionContext openSsl) {
                // Otherwise every client after the first resumes a session cached per host and port: an abbreviated
                // handshake that only servers issuing tickets get, which would skew a login race between servers.
                openSsl.setSessionCacheEnabled(false);
            }
            return context;
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A decoder for a new session; the session resets it when the stream restarts. */
    public static XmlFrameDecoder newDecoder() { return new XmlFrameDecoder(MAX_ELEMENT_BYTES); }

    /** Starts the session's connection; its outcome arrives through the session's events. */
    public void open(ClientSession session, XmlFrameDecoder decoder) {
        session.starting();
        Bootstrap bootstrap = template.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast("xml", decoder).addLast("session", session);
            }
        });
        InetSocketAddress remote = session.account().server().address();
        ChannelFuture connecting = sourceAddresses.isEmpty() ? bootstrap.connect(remote)
                : bootstrap.connect(remote, sourceAddresses.get(session.account().index() % sourceAddresses.size()));
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                session.connectFailed(done.cause());
            }
        });
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
