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
import org.junit.jupiter.api.TestInstance;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.distribution.Main;
import org.skerry.federation.FederationModule;
import org.skerry.federation.link.LinkStatus;
import org.skerry.federation.link.LinkStatus.Direction;
import org.skerry.federation.link.LinkStatus.State;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * Federation between a Skerry node and another server over dialback with self-signed certificates: messages cross
 * both ways, a subscription across the two reaches "both" with each user seeing the other's presence, and
 * {@code federation check} authenticates with dialback and pings the other server.
 *
 * <p>Each server has its own loopback address. Skerry finds the other server through {@code federation.hosts}; the
 * other server finds Skerry through a hosts file the test gives its resolver, on port 5269 (the A-record
 * fallback), so Skerry's s2s listener is on 5269 of its own address. Subclasses start the other server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ForeignServerFederationTests {
    private final String skerryDomain;
    private final String skerryAddress;
    private final String peerName;
    private final boolean peerOffersBidi;
    private ForeignServer peer;
    private TestNode skerry;

    /** @param peerOffersBidi whether the other server does XEP-0288 (offers it, and asks for it) */
    ForeignServerFederationTests(String skerryDomain, String skerryAddress, String peerName, boolean peerOffersBidi) {
        this.skerryDomain = skerryDomain;
        this.skerryAddress = skerryAddress;
        this.peerName = peerName;
        this.peerOffersBidi = peerOffersBidi;
    }

    /**
     * Starts the other server with accounts bob and dave (passwords bob-secret, dave-secret), resolving the Skerry
     * domain through {@code hostsLine} ("address domain").
     */
    abstract ForeignServer startPeer(String hostsLine) throws Exception;

    @BeforeAll
    void start() throws Exception {
        peer = startPeer(skerryAddress + " " + skerryDomain);
        skerry = TestNode.startServing(skerryDomain,
                "federation.enabled=true",
                "federation.bind=\"" + skerryAddress + "\"",
                "federation.port=5269",
                "federation.direct_tls_port=0",
                "federation.auth=\"dialback\"",
                "federation.hosts." + peer.domain() + "=\"" + peer.s2sAddress() + "\"");
        skerry.createUser("alice", "alice-secret");
        skerry.createUser("carol", "carol-secret");
    }

    @AfterAll
    void stop() throws Exception {
        if (skerry != null) {
            skerry.close();
        }
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void messagesCrossBothWays() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(skerry, "alice", "alice-secret", "phone");
        XMPPTCPConnection bob = peer.login("bob", "bob-secret", "laptop");
        try {
            BlockingQueue<Stanza> atBob = new LinkedBlockingQueue<>();
            BlockingQueue<Stanza> atAlice = new LinkedBlockingQueue<>();
            bob.addAsyncStanzaListener(atBob::add, s -> s instanceof Message);
            alice.addAsyncStanzaListener(atAlice::add, s -> s instanceof Message);

            alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@" + peer.domain()))
                    .ofType(Message.Type.chat).setBody("hello " + peerName).build());
            Message received = (Message) atBob.poll(30, TimeUnit.SECONDS);
            assertThat(received).as("Skerry -> %s; its log:\n%s", peerName, peer.logTail()).isNotNull();
            assertThat(received.getBody()).isEqualTo("hello " + peerName);
            assertThat(received.getFrom().toString()).isEqualTo("alice@" + skerryDomain + "/phone");

            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(received.getFrom())
                    .ofType(Message.Type.chat).setBody("hello Skerry").build());
            Message reply = (Message) atAlice.poll(30, TimeUnit.SECONDS);
            assertThat(reply).as("%s -> Skerry; its log:\n%s", peerName, peer.logTail()).isNotNull();
            assertThat(reply.getBody()).isEqualTo("hello Skerry");
            assertThat(reply.getFrom().toString()).isEqualTo("bob@" + peer.domain() + "/laptop");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
        List<LinkStatus> links = skerry.node().module(FederationModule.class).orElseThrow().linkStatus().stream()
                .filter(link -> peer.domain().equals(link.peerDomain()) && link.state() == State.READY)
                .toList();
        if (peerOffersBidi) {
            // Every link between the two negotiated XEP-0288. There may be two all the same: to check Skerry's
            // dialback key, Prosody connects to Skerry and authenticates that stream for itself too, then sends over
            // it. (With certificates one link carries everything: ProsodyCertificateFederationTest.)
            assertThat(links).as("%s links", peerName).isNotEmpty().allSatisfy(link ->
                    assertThat(link.direction()).isEqualTo(Direction.BIDIRECTIONAL));
        } else {
            assertThat(links).as("%s links", peerName).extracting(LinkStatus::direction)
                    .containsExactlyInAnyOrder(Direction.OUTBOUND, Direction.INBOUND);
        }
    }

    @Test
    void subscriptionAcrossTheTwoReachesBothAndEachSeesTheOthersPresence() throws Exception {
        BareJid carolJid = JidCreate.bareFrom("carol@" + skerryDomain);
        BareJid daveJid = JidCreate.bareFrom("dave@" + peer.domain());
        XMPPTCPConnection carol = SmackClients.login(skerry, "carol", "carol-secret", "phone");
        XMPPTCPConnection dave = peer.login("dave", "dave-secret", "laptop");
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
        // Dave going offline on the other server reaches Carol on Skerry as unavailable presence.
        await().atMost(Duration.ofSeconds(30)).until(() -> !Roster.getInstanceFor(carol).getPresence(daveJid).isAvailable());

        XMPPTCPConnection daveAgain = peer.login("dave", "dave-secret", "tablet");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Roster.getInstanceFor(carol).getPresence(daveJid).isAvailable());
            // The other server probes Carol for Dave's new session; Skerry answers with her presence.
            await().atMost(Duration.ofSeconds(30)).until(() -> Roster.getInstanceFor(daveAgain).getPresence(carolJid).isAvailable());
        } finally {
            daveAgain.disconnect();
            carol.disconnect();
        }
    }

    /**
     * {@code skerry federation check} through the running node: it authenticates to the other server with dialback
     * (which calls Skerry back to verify the key) and pings it; the answer comes over the other server's own link.
     */
    @Test
    void federationCheckAuthenticatesWithDialbackAndPings() {
        FederationCli.Result report = FederationCli.run("federation", "check", peer.domain(),
                "--set", "domains=" + skerryDomain, "--set", "admins=admin@" + skerryDomain,
                "--set", "data_dir=" + skerry.dataDir());

        assertThat(report.exitCode()).as("%s\n%s's log:\n%s", report.printed(), peerName, peer.logTail())
                .isEqualTo(Main.OK);
        assertThat(report.steps().keySet()).containsExactly("resolution", "tcp", "tls", "certificate", "names",
                "expiry", "auth", "ping");
        assertThat(report.steps().get("auth"))
                .matches("ok dialback: the peer verified our key with " + skerryDomain + " in \\d+ ms");
        assertThat(report.steps().get("ping")).matches("ok answered in \\d+ ms .*");
    }

    private static boolean atLeastTo(RosterEntry entry) {
        return entry != null && (entry.getType() == ItemType.to || entry.getType() == ItemType.both);
    }

    private static boolean isBoth(RosterEntry entry) {
        return entry != null && entry.getType() == ItemType.both;
    }
}
