package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/** RFC 6121 roster and subscription between two Smack users: request, approval, presence both ways, removal. */
class RosterSubscriptionTest {
    static TestNode node;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        node.createUser("romeo", "romeo-secret");
        node.createUser("juliet", "juliet-secret");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void mutualSubscriptionThenRemoval() throws Exception {
        XMPPTCPConnection romeo = SmackClients.login(node, "romeo", "romeo-secret", "orchard");
        XMPPTCPConnection juliet = SmackClients.login(node, "juliet", "juliet-secret", "balcony");
        try {
            BareJid romeoJid = JidCreate.bareFrom("romeo@" + TestNode.DOMAIN);
            BareJid julietJid = JidCreate.bareFrom("juliet@" + TestNode.DOMAIN);
            Roster romeoRoster = Roster.getInstanceFor(romeo);
            Roster julietRoster = Roster.getInstanceFor(juliet);
            romeoRoster.setSubscriptionMode(Roster.SubscriptionMode.manual);
            julietRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            romeoRoster.reloadAndWait();
            julietRoster.reloadAndWait();

            // Romeo adds Juliet and asks to see her presence; she accepts (accept_all) and asks back.
            romeoRoster.createItemAndRequestSubscription(julietJid, "Juliet", new String[] {"Verona"});
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                RosterEntry e = romeoRoster.getEntry(julietJid);
                return e != null && (e.getType() == RosterPacket.ItemType.to || e.getType() == RosterPacket.ItemType.both);
            });
            RosterEntry entry = romeoRoster.getEntry(julietJid);
            assertThat(entry.getName()).isEqualTo("Juliet");
            assertThat(entry.getGroups()).extracting(g -> g.getName()).containsExactly("Verona");

            // Juliet's presence reaches Romeo now that he is subscribed.
            await().atMost(Duration.ofSeconds(10)).until(() -> romeoRoster.getPresence(julietJid).isAvailable());

            // Juliet subscribes back; Romeo sees the request and approves it by hand: both ways now.
            java.util.concurrent.BlockingQueue<Presence> requests = new java.util.concurrent.LinkedBlockingQueue<>();
            romeo.addAsyncStanzaListener(s -> requests.add((Presence) s),
                    s -> s instanceof Presence && ((Presence) s).getType() == Presence.Type.subscribe);
            julietRoster.createItemAndRequestSubscription(romeoJid, "Romeo", null);
            Presence request = requests.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.getFrom().toString()).isEqualTo(julietJid.toString());
            Presence subscribed = romeo.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.subscribed)
                    .to(julietJid).build();
            romeo.sendStanza(subscribed);
            await().atMost(Duration.ofSeconds(10)).until(() -> romeoRoster.getEntry(julietJid).getType() == RosterPacket.ItemType.both);
            await().atMost(Duration.ofSeconds(10)).until(() -> julietRoster.getEntry(romeoJid) != null
                    && julietRoster.getEntry(romeoJid).getType() == RosterPacket.ItemType.both);
            await().atMost(Duration.ofSeconds(10)).until(() -> julietRoster.getPresence(romeoJid).isAvailable());

            // Removing the item cancels both subscriptions (RFC 6121 §2.5).
            romeoRoster.removeEntry(romeoRoster.getEntry(julietJid));
            await().atMost(Duration.ofSeconds(10)).until(() -> romeoRoster.getEntry(julietJid) == null);
            await().atMost(Duration.ofSeconds(10)).until(() -> julietRoster.getEntry(romeoJid) != null
                    && julietRoster.getEntry(romeoJid).getType() == RosterPacket.ItemType.none);
        } finally {
            romeo.disconnect();
            juliet.disconnect();
        }
    }
}
