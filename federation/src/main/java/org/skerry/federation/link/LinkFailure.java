package org.skerry.federation.link;

import org.skerry.server.xmpp.StanzaError;

/** Why a link could not carry a stanza, with the stanza error its sender gets. */
public final class LinkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient StanzaError condition;

    public LinkFailure(StanzaError condition, String reason) {
        super(reason, null, false, false);
        this.condition = condition;
    }

    public StanzaError condition() { return condition; }
}
