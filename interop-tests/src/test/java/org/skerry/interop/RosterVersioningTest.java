package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler.Mode;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0237 roster versioning at the protocol level: a roster get with the current version is answered by an empty
 * result, and one with an older version by an empty result followed by a push for each change.
 */
class RosterVersioningTest {
    static TestNode node;
    static BareJid otto;
    static BareJid pia;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        node.createUser("nora", "nora-secret");
        otto = JidCreate.bareFrom("otto@" + TestNode.DOMAIN);
        pia = JidCreate.bareFrom("pia@" + TestNode.DOMAIN);
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void anUnchangedRosterIsAnEmptyResultAndChangesArriveAsPushes() throws Exception {
        String firstVersion;
        Session first = Session.open("first");
        try {
            first.set(new RosterPacket.Item(otto, "Otto"));
            RosterPacket full = (RosterPacket) first.get("");
            firstVersion = full.getVersion();
            assertThat(firstVersion).isNotEmpty();
            assertThat(full.getRosterItems()).extracting(RosterPacket.Item::getJid).containsExactly(otto);
        } finally {
            first.close();
        }

        Session unchanged = Session.open("second");
        try {
            IQ answer = unchanged.get(firstVersion);
            assertThat(answer.getType()).isEqualTo(IQ.Type.result);
            assertThat(answer).isNotInstanceOf(RosterPacket.class); // no <query/>: the client's copy is current
            unchanged.pingRoundTrip();
            assertThat(unchanged.pushes).isEmpty();
        } finally {
            unchanged.close();
        }

        Session editor = Session.open("editor");
        try {
            editor.set(new RosterPacket.Item(pia, "Pia"));
            RosterPacket.Item removal = new RosterPacket.Item(otto, null);
            removal.setItemType(RosterPacket.ItemType.remove);
            editor.set(removal);
        } finally {
            editor.close();
        }

        Session behind = Session.open("third");
        try {
            IQ answer = behind.get(firstVersion);
            assertThat(answer).isNotInstanceOf(RosterPacket.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> behind.pushes.size() >= 2);
            behind.pingRoundTrip();
            assertThat(behind.pushes).hasSize(2);
            assertThat(behind.pushes).allSatisfy(push -> {
                assertThat(push.getVersion()).isNotEmpty().isNotEqualTo(firstVersion);
                assertThat(push.getRosterItems()).hasSize(1);
            });
            assertThat(behind.pushes).flatExtracting(RosterPacket::getRosterItems)
                    .anySatisfy(item -> {
                        assertThat(item.getJid().toString()).isEqualTo(pia.toString());
                        assertThat(item.getName()).isEqualTo("Pia");
                    })
                    .anySatisfy(item -> {
                        assertThat(item.getJid().toString()).isEqualTo(otto.toString());
                        assertThat(item.getItemType()).isEqualTo(RosterPacket.ItemType.remove);
                    });
            RosterPacket current = (RosterPacket) behind.get("");
            assertThat(current.getVersion()).isEqualTo(behind.pushes.get(behind.pushes.size() - 1).getVersion());
        } finally {
            behind.close();
        }
    }

    /** A login of nora that speaks jabber:iq:roster itself, with Smack's roster manager kept out of the way. */
    private static final class Session {
        final XMPPTCPConnection connection;
        final List<RosterPacket> pushes = new CopyOnWriteArrayList<>();

        private Session(XMPPTCPConnection connection) { this.connection = connection; }

        static Session open(String resource) throws Exception {
            XMPPTCPConnection connection = new XMPPTCPConnection(SmackClients.config(node, "nora", "nora-secret", resource).build());
            connection.setReplyTimeout(10_000);
            Roster.getInstanceFor(connection).setRosterLoadedAtLogin(false);
            Session session = new Session(connection);
            connection.registerIQRequestHandler(new AbstractIqRequestHandler(RosterPacket.ELEMENT, RosterPacket.NAMESPACE,
                    IQ.Type.set, Mode.sync) {
                @Override public IQ handleIQRequest(IQ push) {
                    session.pushes.add((RosterPacket) push);
                    return IQ.createResultIQ(push);
                }
            });
            connection.connect().login();
            return session;
        }

        IQ get(String version) throws Exception {
            RosterPacket request = new RosterPacket();
            request.setVersion(version);
            return connection.createStanzaCollectorAndSend(request).nextResultOrThrow();
        }

        void set(RosterPacket.Item item) throws Exception {
            RosterPacket request = new RosterPacket();
            request.setType(IQ.Type.set);
            request.addRosterItem(item);
            connection.createStanzaCollectorAndSend(request).nextResultOrThrow();
        }

        /** Everything the server sent before this point has been read once the pong is back. */
        void pingRoundTrip() throws Exception {
            assertThat(PingManager.getInstanceFor(connection).pingMyServer(true, 10_000)).isTrue();
        }

        void close() { connection.disconnect(); }
    }
}
