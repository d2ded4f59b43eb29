package org.skerry.federation.link;

import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * ALPN (RFC 7301) on direct TLS s2s connections, as XEP-0368 asks: the protocol is "xmpp-server". Connecting, we
 * offer only it; accepting, we select it when the peer offers it, serve a peer that offers no ALPN as before, and
 * refuse one that offers only other protocols (RFC 7301 §3.2: no_application_protocol). STARTTLS connections carry
 * no ALPN: the protocol was settled before TLS began.
 */
final class DirectTlsAlpn {
    static final String PROTOCOL = "xmpp-server";

    private DirectTlsAlpn() {}

    /** Sets ALPN on the handler's engine: offered when it is the client side, selected when it is the server side. */
    static SslHandler on(SslHandler handler) {
        SSLEngine engine = handler.engine();
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {PROTOCOL});
        engine.setSSLParameters(parameters);
        return handler;
    }
}
