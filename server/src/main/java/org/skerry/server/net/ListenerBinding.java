package org.skerry.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.net.InetSocketAddress;

/**
 * Binds a listener and reports a failure as what it is. Netty's {@code syncUninterruptibly()} rethrows the
 * checked {@link java.net.BindException} undeclared, which callers then mistook for other I/O failures (a busy
 * s2s port was reported as "Cannot open the control socket") or let escape their clean-up.
 */
public final class ListenerBinding {
    private ListenerBinding() {}

    /** @param what who connects here, for the message: "clients", "servers" */
    public static Channel bind(ServerBootstrap bootstrap, String address, int port, String what) {
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(address, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IllegalStateException("Cannot listen for " + what + " on " + address + ":" + port + ": "
                    + cause.getMessage(), cause);
        }
        return bound.channel();
    }
}
