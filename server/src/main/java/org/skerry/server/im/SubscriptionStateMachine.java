package org.skerry.server.im;

import org.skerry.server.im.Subscription.Base;

/**
 * RFC 6121 Appendix A: how subscription presence changes a roster item's state, for the user's outbound
 * requests (A.2) and the contact's inbound ones (A.3), and what the server does with the stanza.
 *
 * <p>Pure functions, so that every cell of the RFC's tables is a unit test.
 */
public final class SubscriptionStateMachine {
    private SubscriptionStateMachine() {}

    /** What to do with a subscription stanza. */
    public enum Action {
        /** Route it on (outbound) or deliver it to the user (inbound). */
        FORWARD,
        /** Do not forward it. */
        DROP,
        /** Inbound subscribe the user already approved: answer {@code subscribed} on the user's behalf. */
        AUTO_APPROVE
    }

    /** The new state and the action; {@code changed} means a roster push is due. */
    public record Outcome(Subscription next, Action action, boolean changed) {}

    /** The user sends {@code type} to the contact (A.2). */
    public static Outcome outbound(Subscription s, String type) {
        Base b = s.base();
        return switch (type) {
            case "subscribe" -> {
                // A.2.1: ask unless already subscribed or asking; the stanza is routed either way.
                Subscription next = b.hasTo() ? s : s.withPendingOut(true);
                yield new Outcome(next, Action.FORWARD, !next.equals(s));
            }
            case "unsubscribe" -> {
                // A.2.2: cancel our subscription to the contact (and any pending request).
                Subscription next = s.withPendingOut(false).with(b == Base.BOTH ? Base.FROM : b == Base.TO ? Base.NONE : b);
                yield new Outcome(next, Action.FORWARD, !next.equals(s));
            }
            case "subscribed" -> {
                // A.2.3: approve a pending request; with none pending it is a pre-approval (§3.4), not routed.
                if (b.hasFrom()) {
                    yield new Outcome(s, Action.DROP, false);
                }
                if (s.pendingIn()) {
                    Subscription next = s.withPendingIn(false).withPreApproved(false).with(b == Base.TO ? Base.BOTH : Base.FROM);
                    yield new Outcome(next, Action.FORWARD, true);
                }
                Subscription next = s.withPreApproved(true);
                yield new Outcome(next, Action.DROP, !next.equals(s));
            }
            case "unsubscribed" -> {
                // A.2.4: cancel the contact's subscription to us, deny a pending request, or drop a pre-approval.
                if (s.pendingIn() || b.hasFrom()) {
                    Subscription next = s.withPendingIn(false).withPreApproved(false)
                            .with(b == Base.BOTH ? Base.TO : b == Base.FROM ? Base.NONE : b);
                    yield new Outcome(next, Action.FORWARD, true);
                }
                Subscription next = s.withPreApproved(false);
                yield new Outcome(next, Action.DROP, !next.equals(s));
            }
            default -> throw new IllegalArgumentException("Not a subscription type: " + type);
        };
    }

    /** The contact's server delivers {@code type} for the user (A.3). */
    public static Outcome inbound(Subscription s, String type) {
        Base b = s.base();
        return switch (type) {
            case "subscribe" -> {
                if (b.hasFrom()) {
                    // A.3.1: already approved: answer for the user, do not bother them.
                    yield new Outcome(s, Action.AUTO_APPROVE, false);
                }
                if (s.preApproved()) {
                    Subscription next = s.withPreApproved(false).withPendingIn(false).with(b == Base.TO ? Base.BOTH : Base.FROM);
                    yield new Outcome(next, Action.AUTO_APPROVE, true);
                }
                if (s.pendingIn()) {
                    yield new Outcome(s, Action.DROP, false);
                }
                yield new Outcome(s.withPendingIn(true), Action.FORWARD, false);
            }
            case "unsubscribe" -> {
                // A.3.2: the contact no longer wants our presence.
                if (!s.pendingIn() && !b.hasFrom()) {
                    yield new Outcome(s, Action.DROP, false);
                }
                Subscription next = s.withPendingIn(false).withPreApproved(false)
                        .with(b == Base.BOTH ? Base.TO : b == Base.FROM ? Base.NONE : b);
                yield new Outcome(next, Action.FORWARD, true);
            }
            case "subscribed" -> {
                // A.3.3: only meaningful if we asked.
                if (!s.pendingOut()) {
                    yield new Outcome(s, Action.DROP, false);
                }
                Subscription next = s.withPendingOut(false).with(b == Base.FROM ? Base.BOTH : Base.TO);
                yield new Outcome(next, Action.FORWARD, true);
            }
            case "unsubscribed" -> {
                // A.3.4: the contact denied our request or cancelled our subscription.
                if (!s.pendingOut() && !b.hasTo()) {
                    yield new Outcome(s, Action.DROP, false);
                }
                Subscription next = s.withPendingOut(false).with(b == Base.BOTH ? Base.FROM : b == Base.TO ? Base.NONE : b);
                yield new Outcome(next, Action.FORWARD, true);
            }
            default -> throw new IllegalArgumentException("Not a subscription type: " + type);
        };
    }
}
