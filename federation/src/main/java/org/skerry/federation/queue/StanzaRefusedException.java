package org.skerry.federation.queue;

/** The outbound queue refused a stanza; the sender already got a resource-constraint error. */
public final class StanzaRefusedException extends RuntimeException {
    public StanzaRefusedException(String message) {
        super(message, null, false, false);
    }
}
