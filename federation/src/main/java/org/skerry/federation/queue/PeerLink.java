package org.skerry.federation.queue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.skerry.server.xml.Element;

/**
 * One outgoing server-to-server link to a peer domain, as the queue needs it. Implemented by the link layer
 * ({@code org.skerry.federation.link}); the queue knows nothing of sockets, TLS or authentication.
 */
public interface PeerLink {
    /** True once the link is authenticated and may carry stanzas. */
    boolean isReady();

    /**
     * Writes the stanzas in this order. The future completes only when the peer has acknowledged all of them
     * (XEP-0198 {@code <a/>} covering the last one, or, on a link without stream management, a successful
     * write), and completes exceptionally if the link fails first: with {@link UndeliverableException} when no
     * retry can succeed, which bounces them at once, else with any other exception. The queue keeps the stanzas and
     * sends them again after a failure, so a partial delivery is repeated: the receiver drops the repeats by
     * their XEP-0359 stanza-id.
     *
     * <p>The elements are in the {@code jabber:client} namespace, as stored; the link writes them as
     * {@code jabber:server} stanzas.
     */
    CompletableFuture<Void> send(List<Element> stanzas);
}
