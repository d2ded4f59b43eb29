package org.skerry.server.im;

/**
 * The RFC 6121 subscription state of one roster item, as Appendix A names them: the base state plus whether a
 * request is pending in either direction, and whether the user pre-approved the contact (§3.4).
 */
public record Subscription(Base base, boolean pendingOut, boolean pendingIn, boolean preApproved) {

    /** RFC 6121 §2.1.2.5: none, to (user sees contact), from (contact sees user), both. */
    public enum Base {
        NONE, TO, FROM, BOTH;

        public String attribute() { return name().toLowerCase(java.util.Locale.ROOT); }

        public static Base parse(String value) {
            return value == null ? NONE : Base.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        }

        boolean hasTo() { return this == TO || this == BOTH; }

        boolean hasFrom() { return this == FROM || this == BOTH; }
    }

    public static final Subscription NONE = new Subscription(Base.NONE, false, false, false);

    /** The contact receives the user's presence. */
    public boolean contactSeesUser() { return base.hasFrom(); }

    /** The user receives the contact's presence. */
    public boolean userSeesContact() { return base.hasTo(); }

    Subscription with(Base newBase) { return new Subscription(newBase, pendingOut, pendingIn, preApproved); }

    Subscription withPendingOut(boolean value) { return new Subscription(base, value, pendingIn, preApproved); }

    Subscription withPendingIn(boolean value) { return new Subscription(base, pendingOut, value, preApproved); }

    Subscription withPreApproved(boolean value) { return new Subscription(base, pendingOut, pendingIn, value); }
}
