package org.skerry.interop.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.federation.link.LoopbackDnsServer;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * Node a.test finds its peers only through DNS SRV records, served by a DNS server the test runs on 127.0.0.1
 * (federation.dns_servers; no real DNS server is ever asked): b.test over STARTTLS via {@code _xmpp-server}, c.test
 * over direct TLS (XEP-0368) via {@code _xmpps-server}, whose STARTTLS record of lower priority points to a dead port.
 * The peers reach a.test back (dialback verification, replies) through federation.hosts.
 */
class DnsPeerDiscoveryTest {
    static LoopbackDnsServer dns;
    static TestNode a;
    static TestNode b;
    static TestNode c;

    @BeforeAll
    static void start() throws Exception {
        int aPort = TestNode.freePort();
        int bPort = TestNode.freePort();
        int cDirectTlsPort = TestNode.freePort();
        dns = new LoopbackDnsServer()
                .srv("_xmpp-server._tcp.b.test", 0, 0, bPort, "xmpp.b.test")
                .a("xmpp.b.test", "127.0.0.1")
                .srv("_xmpps-server._tcp.c.test", 0, 0, cDirectTlsPort, "xmpps.c.test")
                .srv("_xmpp-server._tcp.c.test", 10, 0, TestNode.freePort(), "xmpps.c.test")
                .a("xmpps.c.test", "127.0.0.1");
        String backToA = "federation.hosts.a.test=127.0.0.1:" + aPort;
        b = TestNode.startServing("b.test", federation(bPort, 0, backToA));
        c = TestNode.startServing("c.test", federation(TestNode.freePort(), cDirectTlsPort, backToA));
        a = TestNode.startServing("a.test", federation(aPort, 0, "federation.dns=true",
                "federation.dns_servers=[\"127.0.0.1:" + dns.address().getPort() + "\"]"));
        for (TestNode node : new TestNode[] {a, b, c}) {
            node.createUser("user", "secret-" + node.domain());
        }
    }

    private static String[] federation(int port, int directTlsPort, String... more) {
        List<String> sets = new ArrayList<>(List.of("federation.enabled=true", "federation.bind=\"127.0.0.1\"",
                "federation.port=" + port, "federation.direct_tls_port=" + directTlsPort, "federation.auth=\"dialback\""));
        sets.addAll(List.of(more));
        return sets.toArray(new String[0]);
    }

    @AfterAll
    static void stop() throws Exception {
        for (TestNode node : new TestNode[] {a, b, c}) {
            if (node != null) {
                node.close();
            }
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void aPeerFoundThroughItsStartTlsSrvRecordGetsTheMessage() throws Exception {
        assertDelivered(b);
        assertThat(dns.asked()).extracting(q -> q.name.ace + " " + q.type)
                .contains("_xmpp-server._tcp.b.test SRV", "xmpp.b.test A");
    }

    @Test
    void aPeerFoundThroughItsDirectTlsSrvRecordGetsTheMessage() throws Exception {
        assertDelivered(c);
        assertThat(dns.asked()).extracting(q -> q.name.ace + " " + q.type)
                .contains("_xmpps-server._tcp.c.test SRV", "xmpps.c.test A");
    }

    private static void assertDelivered(TestNode peer) throws Exception {
        XMPPTCPConnection sender = SmackClients.login(a, "user", "secret-a.test", "phone");
        XMPPTCPConnection receiver = SmackClients.login(peer, "user", "secret-" + peer.domain(), "laptop");
        try {
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            receiver.addAsyncStanzaListener(s -> received.add((Message) s), s -> s instanceof Message);
            sender.sendStanza(sender.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.from("user@" + peer.domain())).ofType(Message.Type.chat)
                    .setBody("found you in DNS").build());
            Message message = received.poll(20, TimeUnit.SECONDS);
            assertThat(message).as("message a.test -> %s", peer.domain()).isNotNull();
            assertThat(message.getBody()).isEqualTo("found you in DNS");
            assertThat(message.getFrom().toString()).isEqualTo("user@a.test/phone");
        } finally {
            sender.disconnect();
            receiver.disconnect();
        }
    }
}
