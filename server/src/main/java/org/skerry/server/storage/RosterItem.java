package org.skerry.server.storage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One item of a user's roster (RFC 6121 §2.1.2), with the subscription state the server keeps for it.
 *
 * @param contactJid the contact's bare JID, prepared
 * @param name the user's name for the contact, or {@code null}
 * @param subscription {@code none}, {@code to}, {@code from} or {@code both}
 * @param askSubscribe an outbound subscription request is pending ({@code ask='subscribe'})
 * @param pendingIn an inbound subscription request awaits the user's approval
 * @param preApproved the user pre-approved the contact's subscription request (RFC 6121 §3.4)
 * @param groups the group names, in order, without duplicates (duplicates are dropped, first one kept)
 * @param pendingInStanza the stored inbound {@code subscribe} stanza to redeliver at login, or {@code null}
 */
public record RosterItem(String contactJid, String name, String subscription, boolean askSubscribe,
        boolean pendingIn, boolean preApproved, List<String> groups, String pendingInStanza) {
    /** The subscription states of RFC 6121 §2.1.2.5 that are stored ({@code remove} is an action). */
    public static final Set<String> SUBSCRIPTIONS = Set.of("none", "to", "from", "both");

    public RosterItem {
        if (contactJid == null || contactJid.isEmpty()) {
            throw new IllegalArgumentException("contactJid is required");
        }
        if (!SUBSCRIPTIONS.contains(subscription)) {
            throw new IllegalArgumentException("invalid subscription: " + subscription);
        }
        Objects.requireNonNull(groups, "groups");
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(groups));
        if (distinct.contains(null)) {
            throw new IllegalArgumentException("a group name must not be null");
        }
        groups = List.copyOf(distinct);
    }

    /** A new contact with no subscription in either direction, as after a roster set. */
    public static RosterItem of(String contactJid, String name, List<String> groups) {
        return new RosterItem(contactJid, name, "none", false, false, false, groups, null);
    }
}
