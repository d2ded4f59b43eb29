package org.skerry.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Both transports carry bytes over real loopback sockets; the node takes epoll where it loads. */
class TransportTest {
    @Test
    void epollIsChosenOnLinuxUnlessNioIsAskedFor() {
        assertThat(System.getProperty("os.name")).startsWith("Linux"); // the machines this is built and run on
        assertThat(Transport.choose("")).isEqualTo(Transport.EPOLL);
        assertThat(Transport.choose("NIO")).isEqualTo(Transport.NIO);
        assertThat(Transport.current()).isEqualTo(Transport.EPOLL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "aarch_64"})
    void epollsNativeLibraryShipsForX86AndArmLinux(String architecture) {
        // Netty loads it from this resource; without it a node on that machine falls back to NIO.
        String library = "META-INF/native/libnetty_transport_native_epoll_" + architecture + ".so";
        assertThat(Transport.class.getClassLoader().getResource(library)).as(library).isNotNull();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRefusedConnectionReadsTheSameOnBothTransports(Transport transport) throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort(); // nobody listens there once it is closed
        }
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        try {
            Throwable refused = new Bootstrap().group(group).channel(transport.clientChannel())
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) { }
                    }).connect("127.0.0.1", closedPort).await().cause();

            assertThat(refused).isNotNull();
            assertThat(Transport.describe(refused)).startsWith("Connection refused").doesNotContain("(..)");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aListenerAndAClientOfTheTransportExchangeBytesOverLoopback(Transport transport) throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
        try {
            Channel server = new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf bytes) {
                                    ctx.writeAndFlush(bytes.retain()); // echo
                                }
                            });
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            CompletableFuture<String> echoed = new CompletableFuture<>();
            StringBuilder received = new StringBuilder();
            Channel client = new Bootstrap().group(group).channel(transport.clientChannel())
                    .handler(new SimpleChannelInboundHandler<ByteBuf>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf bytes) {
                            received.append(bytes.toString(StandardCharsets.UTF_8));
                            if (received.length() >= "<presence/>\n".length()) {
                                echoed.complete(received.toString());
                            }
                        }
                    }).connect((InetSocketAddress) server.localAddress()).sync().channel();

            client.writeAndFlush(Unpooled.copiedBuffer("<presence/>\n", StandardCharsets.UTF_8));

            assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("<presence/>\n");
            assertThat(client.getClass()).isEqualTo(transport.clientChannel());
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
