package org.skerry.interop.federation.vysper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.apache.mina.core.filterchain.DefaultIoFilterChainBuilder;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.vysper.mina.StanzaLoggingFilter;
import org.apache.vysper.mina.XmppIoHandlerAdapter;
import org.apache.vysper.mina.codec.XMPPProtocolCodecFactory;
import org.apache.vysper.xmpp.server.Endpoint;
import org.apache.vysper.xmpp.server.ServerRuntimeContext;

/**
 * Vysper's own TCP endpoint with the same MINA filter chain, but bound to the loopback address: Vysper's
 * {@code TCPEndpoint} always binds the wildcard address, and tests listen on loopback only. Vysper tells c2s from
 * s2s by the stream's namespace, so one class serves both ports.
 */
final class LoopbackEndpoint implements Endpoint {
    private final int port;
    private ServerRuntimeContext serverRuntimeContext;
    private NioSocketAcceptor acceptor;

    LoopbackEndpoint(int port) { this.port = port; }

    @Override
    public void setServerRuntimeContext(ServerRuntimeContext serverRuntimeContext) {
        this.serverRuntimeContext = serverRuntimeContext;
    }

    @Override
    public void start() throws IOException {
        DefaultIoFilterChainBuilder filters = new DefaultIoFilterChainBuilder();
        filters.addLast("xmppCodec", new ProtocolCodecFilter(new XMPPProtocolCodecFactory()));
        filters.addLast("loggingFilter", new StanzaLoggingFilter());
        XmppIoHandlerAdapter handler = new XmppIoHandlerAdapter();
        handler.setServerRuntimeContext(serverRuntimeContext);
        acceptor = new NioSocketAcceptor();
        acceptor.setFilterChainBuilder(filters);
        acceptor.setHandler(handler);
        acceptor.setReuseAddress(true);
        acceptor.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    @Override
    public void stop() {
        acceptor.unbind();
        acceptor.dispose();
    }
}
