package org.skerry.interop.federation;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.interop.SmackClients;

/**
 * RFC 6121 subscriptions between users on two nodes: both sides reach "both", each sees the other's presence, and
 * a contact who logs in later is seen too (its initial presence crosses the link).
 */
class FederatedSubscriptionTest {
    static FederatedNodes nodes;

    @BeforeAll
    static void start() {
        nodes = FederatedNodes.start(List.of("a.test", "b.test"), "federation.auth=\"dialback\"");
        nodes.node("a.test").createUser("alice", "alice-secret");
        nodes.node("b.test").createUser("bob", "bob-secret");
    }

    @AfterAll
    static void stop() { nodes.close(); }

    @Test
    void usersOnTwoNodesBecomeMutualContactsAndSeeEachOthersPresence() throws Exception {
        BareJid aliceJid = JidCreate.bareFrom("alice@a.test");
        BareJid bobJid = JidCreate.bareFrom("bob@b.test");
        XMPPTCPConnection alice = SmackClients.login(nodes.node("a.test"), "alice", "alice-secret", "phone");
        XMPPTCPConnection bob = SmackClients.login(nodes.node("b.test"), "bob", "bob-secret", "laptop");
        try {
            Roster aliceRoster = Roster.getInstanceFor(alice);
            Roster bobRoster = Roster.getInstanceFor(bob);
            aliceRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            bobRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            aliceRoster.reloadAndWait();
            bobRoster.reloadAndWait();

            aliceRoster.createItemAndRequestSubscription(bobJid, "Bob", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> is(aliceRoster.getEntry(bobJid), ItemType.to));
            bobRoster.createItemAndRequestSubscription(aliceJid, "Alice", null);
            await().atMost(Duration.ofSeconds(20)).until(() -> is(aliceRoster.getEntry(bobJid), ItemType.both)
                    && is(bobRoster.getEntry(aliceJid), ItemType.both));

            await().atMost(Duration.ofSeconds(20)).until(() -> aliceRoster.getPresence(bobJid).isAvailable()
                    && bobRoster.getPresence(aliceJid).isAvailable());
        } finally {
            bob.disconnect();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !Roster.getInstanceFor(alice).getPresence(bobJid).isAvailable());

        XMPPTCPConnection bobAgain = SmackClients.login(nodes.node("b.test"), "bob", "bob-secret", "tablet");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> Roster.getInstanceFor(alice).getPresence(bobJid).isAvailable());
            // Bob's new session probes Alice across the link; her node answers with her presence.
            await().atMost(Duration.ofSeconds(20)).until(() -> Roster.getInstanceFor(bobAgain).getPresence(aliceJid).isAvailable());
        } finally {
            bobAgain.disconnect();
            alice.disconnect();
        }
    }

    private static boolean is(RosterEntry entry, ItemType type) {
        return entry != null && (entry.getType() == type || type == ItemType.to && entry.getType() == ItemType.both);
    }
}
