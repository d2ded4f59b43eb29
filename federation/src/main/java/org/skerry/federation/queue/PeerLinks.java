package org.skerry.federation.queue;

/** Where the queue gets its links: implemented by the link layer. */
public interface PeerLinks {
    /**
     * The outgoing link to {@code domain}, starting a connection when there is none. May return a link that is
     * not ready yet; the link layer then calls {@link OutboundQueue#peerReady} once it is.
     */
    PeerLink linkFor(String domain);

    /**
     * False when no server for {@code domain} can ever be found (nothing to retry): the queue then bounces at once
     * with remote-server-not-found instead of keeping the stanza until queue_max_age.
     */
    default boolean canReach(String domain) { return true; }

    /**
     * True when the admin forbade federating with {@code domain}: the queue then bounces at once with not-allowed,
     * without queueing or connecting.
     */
    default boolean isBlocked(String domain) { return false; }
}
