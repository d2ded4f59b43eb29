package org.skerry.interop;

import static org.assertj.core.api.Assertions.assertThat;

import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.iqversion.VersionManager;
import org.jivesoftware.smackx.iqversion.packet.Version;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

/** XEP-0030 disco#info of the server, XEP-0092 version and XEP-0199 ping, asked by a Smack client. */
class ServerInfoTest {
    static TestNode node;
    static XMPPTCPConnection client;
    static Jid server;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        node.createUser("henry", "henry-secret");
        client = SmackClients.login(node, "henry", "henry-secret", "pc");
        server = JidCreate.domainBareFrom(TestNode.DOMAIN);
    }

    @AfterAll
    static void stop() {
        client.disconnect();
        node.close();
    }

    @Test
    void discoInfoListsEveryModulesFeature() throws Exception {
        DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(client).discoverInfo(server);
        assertThat(info.getIdentities()).anySatisfy(identity -> {
            assertThat(identity.getCategory()).isEqualTo("server");
            assertThat(identity.getType()).isEqualTo("im");
        });
        assertThat(info.getFeatures()).extracting(DiscoverInfo.Feature::getVar).contains(
                "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items",
                "urn:xmpp:ping", "jabber:iq:version", "jabber:iq:register", "jabber:iq:private",
                "http://jabber.org/protocol/commands", "msgoffline");
        // XEP-0237 §3: roster versioning is announced as a stream feature, never in disco.
        assertThat(info.getFeatures()).extracting(DiscoverInfo.Feature::getVar).doesNotContain("urn:xmpp:features:rosterver");
        assertThat(Roster.getInstanceFor(client).isRosterVersioningSupported()).isTrue();
    }

    @Test
    void versionNamesSkerry() throws Exception {
        Version version = VersionManager.getInstanceFor(client).getVersion(server);
        assertThat(version.getName()).isEqualTo("Skerry");
        assertThat(version.getVersion()).isNotBlank();
        assertThat(version.getOs()).isNull(); // not disclosed (XEP-0092 §5)
    }

    @Test
    void theServerAnswersPings() throws Exception {
        assertThat(PingManager.getInstanceFor(client).pingMyServer(true, 10_000)).isTrue();
    }
}
