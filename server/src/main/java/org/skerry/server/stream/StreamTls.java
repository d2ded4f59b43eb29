package org.skerry.server.stream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import org.skerry.server.auth.ChannelBinding;
import org.skerry.server.tls.ChannelBindings;
import org.skerry.server.tls.TlsManager;

/** TLS as a stream needs it: handlers for STARTTLS and direct TLS, and the channel bindings of a finished handshake. */
public final class StreamTls {
    private final TlsManager manager;

    public StreamTls(TlsManager manager) { this.manager = manager; }

    public boolean available() { return manager != null; }

    /** For STARTTLS: the first write (the {@code <proceed/>}) goes out in the clear. */
    public SslHandler newStartTlsHandler(ByteBufAllocator alloc) {
        return withoutOwnTimeout(new SslHandler(manager.serverContext().newEngine(alloc), true));
    }

    /** For XEP-0368 direct TLS: TLS from the first byte. */
    public SslHandler newDirectTlsHandler(ByteBufAllocator alloc) {
        return withoutOwnTimeout(manager.serverContext().newHandler(alloc));
    }

    /**
     * The stream's c2s.handshake_timeout already bounds everything up to authentication, TLS included. Netty's own
     * 10 s TLS timer would cut clients off sooner when thousands reconnect at once after an outage and their
     * handshakes queue for the CPU.
     */
    private static SslHandler withoutOwnTimeout(SslHandler handler) {
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }

    /** The channel bindings this connection offers for SCRAM -PLUS, strongest first. */
    public List<ChannelBinding> bindings(SSLEngine engine) {
        List<ChannelBinding> out = new ArrayList<>(2);
        ChannelBindings.tlsExporter(engine).ifPresent(data -> out.add(new ChannelBinding("tls-exporter", data)));
        Certificate[] local = engine.getSession().getLocalCertificates();
        if (local != null && local.length > 0 && local[0] instanceof X509Certificate cert) {
            out.add(new ChannelBinding("tls-server-end-point", ChannelBindings.tlsServerEndPoint(cert)));
        }
        return out;
    }

}
