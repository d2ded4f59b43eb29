package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * A Skerry node and a real ejabberd 23.01 (Debian's package) federate with dialback over STARTTLS, both with
 * self-signed certificates: messages cross both ways, and a subscription across the two reaches "both" with each
 * user seeing the other's presence.
 *
 * <p>Each server has its own loopback address. Skerry finds ejabberd through {@code federation.hosts}; ejabberd finds
 * Skerry through the hosts file that {@link EjabberdPeer} gives the Erlang resolver, on port 5269 (the A-record fallback),
 * so Skerry's s2s listener is on 5269 of its own address. Runs only with {@code -Dskerry.interop=true}.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class EjabberdFederationTest {
    static final String SKERRY_DOMAIN = "skerry-ej.test";
    static final String SKERRY_ADDRESS = "127.0.0.63";
    static final String EJABBERD_DOMAIN = "ejabberd.test";
    static final String EJABBERD_ADDRESS = "127.0.0.62";

    static EjabberdPeer ejabberd;
    static TestNode skerry;

    @BeforeAll
    static void start() throws Exception {
        ejabberd = EjabberdPeer.startWithDialback(EJABBERD_DOMAIN, EJABBERD_ADDRESS, List.of(SKERRY_ADDRESS + " " + SKERRY_DOMAIN),
                "bob", "bob-secret", "dave", "dave-secret");
        skerry = TestNode.startServing(SKERRY_DOMAIN,
                "federation.enabled=true",
                "federation.bind=\"" + SKERRY_ADDRESS + "\"",
                "federation.port=5269",
                "federation.direct_tls_port=0",
                "federation.auth=\"dialback\"",
                "federation.hosts." + EJABBERD_DOMAIN + "=\"" + ejabberd.s2sAddress() + "\"");
        skerry.createUser("alice", "alice-secret");
        skerry.createUser("carol", "carol-secret");
    }

    @AfterAll
    static void stop() throws Exception {
        if (skerry != null) {
            skerry.close();
        }
        if (ejabberd != null) {
            ejabberd.close();
        }
    }

    @Test
    void messagesCrossBothWays() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(skerry, "alice", "alice-secret", "phone");
        XMPPTCPConnection bob = ejabberd.login("bob", "bob-secret", "laptop");
        try {
            BlockingQueue<Stanza> atBob = new LinkedBlockingQueue<>();
            BlockingQueue<Stanza> atAlice = new LinkedBlockingQueue<>();
            bob.addAsyncStanzaListener(atBob::add, s -> s instanceof Message);
            alice.addAsyncStanzaListener(atAlice::add, s -> s instanceof Message);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@" + EJABBERD_DOMAIN))
                    .ofType(Message.Type.chat).setBody("hello ejabberd").build());
            Message received = (Message) atBob.poll(30, TimeUnit.SECONDS);
            assertThat(received).as("Skerry -> ejabberd; ejabberd log:\n%s", ejabberd.logTail()).isNotNull();
            assertThat(received.getBody()).isEqualTo("hello ejabberd");
            assertThat(received.getFrom().toString()).isEqualTo("alice@" + SKERRY_DOMAIN + "/phone");

            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(received.getFrom())
                    .ofType(Message.Type.chat).setBody("hello Skerry").build());
            Message reply = (Message) atAlice.poll(30, TimeUnit.SECONDS);
            assertThat(reply).as("ejabberd -> Skerry; ejabberd log:\n%s", ejabberd.logTail()).isNotNull();
            assertThat(reply.getBody()).isEqualTo("hello Skerry");
            assertThat(reply.getFrom().toString()).isEqualTo("bob@" + EJABBERD_DOMAIN + "/laptop");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void subscriptionAcrossTheTwoReachesBothAndEachSeesTheOthersPresence() throws Exception {
        BareJid carolJid = JidCreate.bareFrom("carol@" + SKERRY_DOMAIN);
        BareJid daveJid = JidCreate.bareFrom("dave@" + EJABBERD_DOMAIN);
        XMPPTCPConnection carol = SmackClients.login(skerry, "carol", "carol-secret", "phone");
        XMPPTCPConnection dave = ejabberd.login("dave", "dave-secret", "laptop");
        try {
            Roster carolRoster = Roster.getInstanceFor(carol);
            Roster daveRoster = Roster.getInstanceFor(dave);
            carolRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            daveRoster.setSubscriptionMode(Roster.SubscriptionMode.accept_all);
            carolRoster.reloadAndWait();
            daveRoster.reloadAndWait();

            carolRoster.createItemAndRequestSubscription(daveJid, "Dave", null);
            await().atMost(Duration.ofSeconds(30)).until(() -> atLeastTo(carolRoster.getEntry(daveJid)));
            daveRoster.createItemAndRequestSubscription(carolJid, "Carol", null);
            await().atMost(Duration.ofSeconds(30)).until(() -> isBoth(carolRoster.getEntry(daveJid))
                    && isBoth(daveRoster.getEntry(carolJid)));

            await().atMost(Duration.ofSeconds(30)).until(() -> carolRoster.getPresence(daveJid).isAvailable()
                    && daveRoster.getPresence(carolJid).isAvailable());
        } finally {
            dave.disconnect();
        }
        // Dave going offline on ejabberd reaches Carol on Skerry as unavailable presence.
        await().atMost(Duration.ofSeconds(30)).until(() -> !Roster.getInstanceFor(carol).getPresence(daveJid).isAvailable());

        XMPPTCPConnection daveAgain = ejabberd.login("dave", "dave-secret", "tablet");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Roster.getInstanceFor(carol).getPresence(daveJid).isAvailable());
            // ejabberd probes Carol for Dave's new session; Skerry answers with her presence.
            await().atMost(Duration.ofSeconds(30)).until(() -> Roster.getInstanceFor(daveAgain).getPresence(carolJid).isAvailable());
        } finally {
            daveAgain.disconnect();
            carol.disconnect();
        }
    }

    private static boolean atLeastTo(RosterEntry entry) {
        return entry != null && (entry.getType() == ItemType.to || entry.getType() == ItemType.both);
    }

    private static boolean isBoth(RosterEntry entry) {
        return entry != null && entry.getType() == ItemType.both;
    }
}
