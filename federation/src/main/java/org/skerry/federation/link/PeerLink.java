package org.skerry.federation.link;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.skerry.server.xml.Element;

/** An outbound link to one peer domain, as the outbound queue sees it. */
public interface PeerLink {
    /** Whether the link is connected and authenticated, so that a send goes out now rather than waiting. */
    boolean isReady();

    /**
     * Sends stanzas (in {@code jabber:client}, as the router has them) in order. The future completes when they
     * were written to the peer (the peer acknowledging with XEP-0198 is not implemented on s2s yet), or
     * exceptionally with a {@link LinkFailure} naming the stanza error for the senders.
     */
    CompletableFuture<Void> send(List<Element> stanzas);
}
