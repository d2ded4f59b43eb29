package org.skerry.federation.queue;

import org.skerry.server.xmpp.StanzaError;

/**
 * A {@link PeerLink} failure that no retry can cure, such as a peer domain that DNS says does not exist: the queue
 * then bounces the peer's stanzas at once with {@link #condition()} instead of keeping them until queue_max_age.
 */
public final class UndeliverableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient StanzaError condition;

    public UndeliverableException(StanzaError condition, String reason) {
        super(reason, null, false, false);
        this.condition = condition;
    }

    public StanzaError condition() { return condition; }
}
