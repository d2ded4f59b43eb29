package org.skerry.federation.link;

import org.skerry.server.xmpp.StanzaError;

/** Why a link could not carry a stanza, with the stanza error its sender gets. */
public final class LinkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient StanzaError condition;
    private final boolean permanent;

    public LinkFailure(StanzaError condition, String reason) {
        this(condition, reason, false);
    }

    private LinkFailure(StanzaError condition, String reason, boolean permanent) {
        super(reason, null, false, false);
        this.condition = condition;
        this.permanent = permanent;
    }

    /** A failure that no retry cures, such as a peer domain that does not exist: its stanzas bounce at once. */
    public static LinkFailure permanent(StanzaError condition, String reason) {
        return new LinkFailure(condition, reason, true);
    }

    public StanzaError condition() { return condition; }

    public boolean isPermanent() { return permanent; }
}
