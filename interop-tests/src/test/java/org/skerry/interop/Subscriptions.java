package org.skerry.interop;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/** Sets up rosters through the protocol, as real clients would, for tests that need contacts. */
final class Subscriptions {
    private Subscriptions() {}

    /** Makes two accounts mutual contacts (subscription both), then logs both out. */
    static void mutual(TestNode node, String user, String userPassword, String contact, String contactPassword)
            throws Exception {
        XMPPTCPConnection a = SmackClients.login(node, user, userPassword, "setup");
        XMPPTCPConnection b = SmackClients.login(node, contact, contactPassword, "setup");
        try {
            Roster rosterA = Roster.getInstanceFor(a);
            Roster rosterB = Roster.getInstanceFor(b);
            rosterA.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            rosterB.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            rosterA.reloadAndWait();
            rosterB.reloadAndWait();
            BareJid jidA = JidCreate.bareFrom(user + "@" + TestNode.DOMAIN);
            BareJid jidB = JidCreate.bareFrom(contact + "@" + TestNode.DOMAIN);
            rosterA.createItemAndRequestSubscription(jidB, contact, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> isAtLeastTo(rosterA.getEntry(jidB)));
            rosterB.createItemAndRequestSubscription(jidA, user, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> isBoth(rosterA.getEntry(jidB)) && isBoth(rosterB.getEntry(jidA)));
        } finally {
            a.disconnect();
            b.disconnect();
        }
    }

    private static boolean isAtLeastTo(RosterEntry entry) {
        return entry != null && (entry.getType() == RosterPacket.ItemType.to || entry.getType() == RosterPacket.ItemType.both);
    }

    private static boolean isBoth(RosterEntry entry) {
        return entry != null && entry.getType() == RosterPacket.ItemType.both;
    }
}
