package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.skerry.interop.SmackClients;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics} for Prometheus and the dashboard's numbers, on a real node driven by Smack clients: the
 * counters move with the traffic, a token guards the endpoint when configured, and a log warning that carries
 * markup is shown as text.
 */
class ConsoleMetricsTest {
    private static final String TOKEN = "metrics-token-1b9f0c";
    private static final String C2S_MESSAGES = "skerry_stanzas_total";
    private static ConsoleNode node;
    private static ConsoleNode guarded;

    @BeforeAll
    static void start() {
        node = ConsoleNode.start();
        node.node().createUser("alice", "alice-secret");
        node.node().createUser("bob", "bob-secret");
        guarded = ConsoleNode.start("http.metrics_token=\"" + TOKEN + "\"");
    }

    @AfterAll
    static void stop() {
        node.close();
        guarded.close();
    }

    private static HttpResponse<String> get(ConsoleNode on, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(on.base().resolve(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return new ConsoleClient(on.base()).send(request.build());
    }

    private static PrometheusText scrape() {
        HttpResponse<String> response = get(node, "/metrics", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new PrometheusText(response.body());
    }

    @Test
    void prometheusScrapesWithoutSigningInAndFindsTheJvmAndTheNode() {
        HttpResponse<String> response = get(node, "/metrics", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        PrometheusText metrics = new PrometheusText(response.body());
        assertThat(metrics.sum("jvm_memory_used_bytes")).isPositive();
        assertThat(metrics.sum("jvm_threads_live_threads")).isPositive();
        assertThat(metrics.has("jvm_gc_memory_allocated_bytes_total")).isTrue();
        assertThat(metrics.sum("system_cpu_count")).isPositive();
        assertThat(metrics.sum("process_uptime_seconds")).isPositive();
        assertThat(metrics.has("skerry_c2s_sessions")).isTrue();
        // Federation is off on this node: the link gauges exist, at zero.
        assertThat(metrics.value("skerry_s2s_links", "direction", "outbound", "state", "ready")).hasValue(0);
    }

    @Test
    void stanzaCountersAndSessionsFollowWhatClientsDo() throws Exception {
        PrometheusText before = scrape();
        XMPPTCPConnection alice = SmackClients.login(node.node(), "alice", "alice-secret", "phone");
        XMPPTCPConnection bob = SmackClients.login(node.node(), "bob", "bob-secret", "laptop");
        try {
            BlockingQueue<Message> atBob = new LinkedBlockingQueue<>();
            bob.addSyncStanzaListener(s -> atBob.add((Message) s), s -> s instanceof Message);
            for (int i = 0; i < 5; i++) {
                alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("bob@" + node.node().domain()))
                        .ofType(Message.Type.chat).setBody("metric " + i).build());
            }
            for (int i = 0; i < 5; i++) {
                assertThat(atBob.poll(10, TimeUnit.SECONDS)).as("message %d at bob", i).isNotNull();
            }
            PrometheusText during = scrape();
            assertThat(during.value("skerry_c2s_sessions")).hasValue(2);
            assertThat(during.sum(C2S_MESSAGES, "transport", "c2s", "direction", "in", "kind", "message"))
                    .isGreaterThanOrEqualTo(before.sum(C2S_MESSAGES, "transport", "c2s", "direction", "in", "kind", "message") + 5);
            assertThat(during.sum(C2S_MESSAGES, "transport", "c2s", "direction", "out", "kind", "message"))
                    .isGreaterThanOrEqualTo(before.sum(C2S_MESSAGES, "transport", "c2s", "direction", "out", "kind", "message") + 5);
            // Both sent their initial presence and asked for their roster.
            assertThat(during.sum(C2S_MESSAGES, "transport", "c2s", "direction", "in", "kind", "presence"))
                    .isGreaterThanOrEqualTo(before.sum(C2S_MESSAGES, "transport", "c2s", "direction", "in", "kind", "presence") + 2);
            assertThat(during.sum(C2S_MESSAGES, "transport", "c2s", "direction", "in", "kind", "iq"))
                    .isGreaterThanOrEqualTo(before.sum(C2S_MESSAGES, "transport", "c2s", "direction", "in", "kind", "iq") + 2);
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(scrape().value("skerry_c2s_sessions")).hasValue(0));
    }

    @Test
    void failedLoginsAreCountedByMechanismAndReason() {
        double before = scrape().sum("skerry_c2s_auth_failures_total", "reason", "not-authorized");
        assertThatThrownBy(() -> SmackClients.login(node.node(), "alice", "not-her-password", "phone"))
                .hasMessageContaining("login of alice failed");
        PrometheusText after = scrape();
        assertThat(after.sum("skerry_c2s_auth_failures_total", "reason", "not-authorized")).isEqualTo(before + 1);
        assertThat(after.sum("skerry_c2s_auth_failures_total", "reason", "not-authorized", "mechanism", "none"))
                .as("the failure is counted under the mechanism Smack chose").isZero();
    }

    @Test
    void theDashboardShowsTheStanzaRateTheStorageSizeAndRecentWarningsAsText() throws Exception {
        XMPPTCPConnection alice = SmackClients.login(node.node(), "alice", "alice-secret", "tablet");
        try {
            for (int i = 0; i < 10; i++) {
                alice.sendStanza(alice.getStanzaFactory().buildMessageStanza().to(JidCreate.from("alice@" + node.node().domain()))
                        .ofType(Message.Type.chat).setBody("note " + i).build());
            }
        } finally {
            alice.disconnect();
        }
        LoggerFactory.getLogger(ConsoleMetricsTest.class).warn("peer said <script>alert(1)</script> in its error");

        ConsoleClient admin = new ConsoleClient(node.base());
        admin.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
        HttpResponse<String> dashboard = admin.get("/api/v1/dashboard");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(number(dashboard.body(), "stanzasPerSecond")).isPositive();
        assertThat(number(dashboard.body(), "storageBytes")).as("the H2 file's size").isGreaterThan(4096);
        assertThat(dashboard.body()).containsPattern("\"storageSize\":\"[0-9.]+ (KiB|MiB|GiB)\"")
                .contains("\"warnings\":[")
                .contains("\"logger\":\"" + ConsoleMetricsTest.class.getName() + "\"")
                .contains("peer said <script>alert(1)</script> in its error")
                .as("the node's own start leaves no warnings behind").doesNotContain("No Server set");

        HttpResponse<String> page = admin.get("/admin/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("peer said &lt;script&gt;alert(1)&lt;/script&gt; in its error")
                .doesNotContain("<script>alert(1)</script>");
    }

    private static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":([0-9.]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", field, json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aConfiguredTokenIsRequiredAsABearerToken() {
        HttpResponse<String> none = get(guarded, "/metrics", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(none.body()).doesNotContain("skerry_");
        assertThat(get(guarded, "/metrics", "Bearer wrong-token").statusCode()).isEqualTo(401);
        assertThat(get(guarded, "/metrics", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
        String basic = Base64.getEncoder().encodeToString((guarded.admin() + ":" + ConsoleNode.ADMIN_PASSWORD).getBytes());
        assertThat(get(guarded, "/metrics", "Basic " + basic).statusCode()).as("an admin password is not the token")
                .isEqualTo(401);

        HttpResponse<String> right = get(guarded, "/metrics", "Bearer " + TOKEN);
        assertThat(right.statusCode()).isEqualTo(200);
        assertThat(new PrometheusText(right.body()).has("skerry_c2s_sessions")).isTrue();
        assertThat(get(guarded, "/metrics", "bearer " + TOKEN).statusCode()).as("the scheme is case-insensitive")
                .isEqualTo(200);
    }

    @Test
    void onlyGetAndHeadReadTheMetrics() {
        ConsoleClient client = new ConsoleClient(node.base());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(node.base().resolve("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(client.get("/metrics/more").statusCode()).isEqualTo(404);
    }
}
