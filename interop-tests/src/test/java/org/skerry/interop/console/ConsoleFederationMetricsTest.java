package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;

/**
 * The federation meters of two real nodes that federate with dialback over TLS on loopback: s2s stanzas and links
 * by direction and state, and the durable queue's depth and age for a third domain whose server is down.
 */
class ConsoleFederationMetricsTest {
    private static ConsoleNode a;
    private static ConsoleNode b;

    @BeforeAll
    static void start() {
        int portA = TestNode.freePort();
        int portB = TestNode.freePort();
        a = ConsoleNode.startServing("a.test", federation(portA, "federation.hosts.b.test=127.0.0.1:" + portB,
                // Nobody listens there: stanzas for down.test wait in the queue.
                "federation.hosts.down.test=127.0.0.1:" + TestNode.freePort(),
                "federation.hosts.away.test=127.0.0.1:" + TestNode.freePort()));
        b = ConsoleNode.startServing("b.test", federation(portB, "federation.hosts.a.test=127.0.0.1:" + portA));
        a.node().createUser("ann", "ann-secret");
        b.node().createUser("ben", "ben-secret");
    }

    private static String[] federation(int port, String... hosts) {
        String[] common = {"federation.enabled=true", "federation.bind=\"127.0.0.1\"", "federation.port=" + port,
                "federation.direct_tls_port=0", "federation.auth=\"dialback\""};
        String[] all = new String[common.length + hosts.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(hosts, 0, all, common.length, hosts.length);
        return all;
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private static PrometheusText scrape(ConsoleNode node) {
        HttpResponse<String> response = new ConsoleClient(node.base()).get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return new PrometheusText(response.body());
    }

    @Test
    void s2sStanzasAndLinksAreCountedOnBothSides() throws Exception {
        PrometheusText beforeA = scrape(a);
        PrometheusText beforeB = scrape(b);
        XMPPTCPConnection ann = SmackClients.login(a.node(), "ann", "ann-secret", "phone");
        XMPPTCPConnection ben = SmackClients.login(b.node(), "ben", "ben-secret", "laptop");
        try {
            BlockingQueue<Message> atBen = new LinkedBlockingQueue<>();
            BlockingQueue<Message> atAnn = new LinkedBlockingQueue<>();
            ben.addSyncStanzaListener(s -> atBen.add((Message) s), s -> s instanceof Message);
            ann.addSyncStanzaListener(s -> atAnn.add((Message) s), s -> s instanceof Message);
            for (int i = 0; i < 3; i++) {
                ann.sendStanza(ann.getStanzaFactory().buildMessageStanza().to(JidCreate.from("ben@b.test"))
                        .ofType(Message.Type.chat).setBody("hello " + i).build());
            }
            for (int i = 0; i < 3; i++) {
                assertThat(atBen.poll(20, TimeUnit.SECONDS)).as("message %d at ben", i).isNotNull();
            }
            ben.sendStanza(ben.getStanzaFactory().buildMessageStanza().to(JidCreate.from("ann@a.test/phone"))
                    .ofType(Message.Type.chat).setBody("hello back").build());
            assertThat(atAnn.poll(20, TimeUnit.SECONDS)).as("reply at ann").isNotNull();
        } finally {
            ann.disconnect();
            ben.disconnect();
        }

        PrometheusText afterA = scrape(a);
        PrometheusText afterB = scrape(b);
        assertThat(afterA.sum("skerry_stanzas_total", "transport", "s2s", "direction", "out", "kind", "message"))
                .isGreaterThanOrEqualTo(beforeA.sum("skerry_stanzas_total", "transport", "s2s", "direction", "out", "kind", "message") + 3);
        assertThat(afterB.sum("skerry_stanzas_total", "transport", "s2s", "direction", "in", "kind", "message"))
                .isGreaterThanOrEqualTo(beforeB.sum("skerry_stanzas_total", "transport", "s2s", "direction", "in", "kind", "message") + 3);
        assertThat(afterB.sum("skerry_stanzas_total", "transport", "s2s", "direction", "out", "kind", "message"))
                .isGreaterThanOrEqualTo(beforeB.sum("skerry_stanzas_total", "transport", "s2s", "direction", "out", "kind", "message") + 1);
        assertThat(afterA.sum("skerry_stanzas_total", "transport", "s2s", "direction", "in", "kind", "message"))
                .isGreaterThanOrEqualTo(beforeA.sum("skerry_stanzas_total", "transport", "s2s", "direction", "in", "kind", "message") + 1);

        // a.test opened one link, and b.test answered over it (XEP-0288, on by default): one bidirectional link,
        // seen as such from both sides.
        for (PrometheusText side : new PrometheusText[] {afterA, afterB}) {
            assertThat(side.value("skerry_s2s_links", "direction", "bidirectional", "state", "ready")).hasValue(1);
            assertThat(side.sum("skerry_s2s_links", "state", "ready")).isEqualTo(1);
        }
        // The dashboard counts that link both in and out.
        ConsoleClient admin = new ConsoleClient(a.base());
        admin.signIn(a.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
        assertThat(admin.get("/api/v1/dashboard").body()).contains("\"s2sLinksIn\":1").contains("\"s2sLinksOut\":1");
        // The queue delivered everything for b.test: its row shows an empty queue.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(scrape(a).value("skerry_s2s_queue_depth_stanzas", "peer", "b.test")).hasValue(0));
    }

    @Test
    void theQueueForAPeerThatIsDownShowsItsDepthAndAge() throws Exception {
        XMPPTCPConnection ann = SmackClients.login(a.node(), "ann", "ann-secret", "desk");
        try {
            for (int i = 0; i < 2; i++) {
                ann.sendStanza(ann.getStanzaFactory().buildMessageStanza().to(JidCreate.from("someone@down.test"))
                        .ofType(Message.Type.chat).setBody("are you there? " + i).build());
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(scrape(a).value("skerry_s2s_queue_depth_stanzas", "peer", "down.test")).hasValue(2));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(scrape(a).value("skerry_s2s_queue_oldest_age_seconds", "peer", "down.test")
                            .orElse(-1)).isGreaterThanOrEqualTo(1.0));
            PrometheusText metrics = scrape(a);
            assertThat(metrics.sum("skerry_s2s_links", "direction", "outbound", "state", "failed"))
                    .as("the last attempt to reach down.test failed").isGreaterThanOrEqualTo(1);
            assertThat(metrics.has("skerry_s2s_queue_depth_stanzas")).isTrue();
            assertThat(scrape(b).value("skerry_s2s_queue_depth_stanzas", "peer", "down.test"))
                    .as("b.test queued nothing for down.test").isEmpty();
        } finally {
            ann.disconnect();
        }
    }

    @Test
    void theDashboardsStorageSizeCountsTheQueuedStanzasOnDisk() throws Exception {
        java.nio.file.Path h2File = a.node().node().storage().database().embeddedFile().orElseThrow();
        long databaseBytes = java.nio.file.Files.size(h2File.resolveSibling(h2File.getFileName() + ".mv.db"));
        XMPPTCPConnection ann = SmackClients.login(a.node(), "ann", "ann-secret", "laptop");
        String bulk = "x".repeat(8000);
        try {
            // About 400 KB for a peer that is down: they stay in the queue's journal, beside the database.
            for (int i = 0; i < 50; i++) {
                ann.sendStanza(ann.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bulk@away.test"))
                        .ofType(Message.Type.chat).setBody(bulk + i).build());
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    scrape(a).value("skerry_s2s_queue_depth_stanzas", "peer", "away.test").orElse(0)).isEqualTo(50));
        } finally {
            ann.disconnect();
        }
        ConsoleClient admin = new ConsoleClient(a.base());
        admin.signIn(a.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
        java.util.regex.Matcher size = java.util.regex.Pattern.compile("\"storageBytes\":([0-9]+)")
                .matcher(admin.get("/api/v1/dashboard").body());
        assertThat(size.find()).isTrue();
        assertThat(Long.parseLong(size.group(1))).as("the H2 file plus the journal").isGreaterThan(databaseBytes + 400_000);
    }
}
