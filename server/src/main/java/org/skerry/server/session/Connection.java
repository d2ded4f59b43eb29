package org.skerry.server.session;

import java.util.concurrent.CompletableFuture;
import org.skerry.server.xml.Element;
import org.skerry.server.xmpp.StreamError;

/** The live transport under a session: a TCP/TLS stream today, a WebSocket later. */
public interface Connection {
    /**
     * Writes a stanza or nonza; safe from any thread. The future completes once the bytes are handed to the
     * socket (or the write failed or was dropped), so that a caller can order effects across connections.
     */
    CompletableFuture<Void> write(Element element);

    /** Sends a stream error (if given), closes the stream and the transport. */
    void close(StreamError error);

    /** The peer's IP address, for logs and throttles. */
    String remoteAddress();

    /** The negotiated TLS protocol and cipher suite, or null while the connection is in the clear. */
    default Tls tls() { return null; }

    /** What TLS a connection negotiated, as admins read it: e.g. TLSv1.3 with TLS_AES_256_GCM_SHA384. */
    record Tls(String protocol, String cipherSuite) {}
}
