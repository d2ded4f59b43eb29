package org.skerry.interop.console;

import org.skerry.interop.SmackClients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.skerry.interop.console.FederatedConsoleNodes.A;
import static org.skerry.interop.console.FederatedConsoleNodes.B;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.federation.FederationModule;
import org.skerry.federation.admin.BlockedDomain;
import org.skerry.federation.admin.FederationAdmin;
import org.skerry.federation.admin.PeerReport;
import org.skerry.federation.link.LinkStatus;
import org.skerry.interop.TestNode;

/**
 * The console's Federation area over real HTTP, on a.test federating with a real b.test: the peers list, retry
 * now, block and unblock, through the JSON API and the page's forms; every refusal (no session, no or a wrong CSRF
 * token, a bad or oversized domain, a block of the configuration) is clear and changes nothing.
 */
class ConsoleFederationTest {
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String CONFIG_BLOCKED = "config-blocked.example";
    private static final String SPAMMER = "spammer.example";
    private static FederatedConsoleNodes nodes;

    @BeforeAll
    static void start() throws Exception {
        nodes = FederatedConsoleNodes.start("federation.blocked_domains=[\"" + CONFIG_BLOCKED + "\"]");
        // A message from a.test to b.test opens the link that the console then shows.
        XMPPTCPConnection alice = FederatedConsoleNodes.login(nodes.a());
        XMPPTCPConnection bob = FederatedConsoleNodes.login(nodes.b());
        try {
            BlockingQueue<Message> atBob = SmackClients.messagesTo(bob);
            SmackClients.send(alice, "user@" + B, "hello over federation");
            assertThat(atBob.poll(20, TimeUnit.SECONDS)).as("delivered to b.test").isNotNull();
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @AfterAll
    static void stop() { nodes.close(); }

    /** A test that failed half-way leaves no block behind for the next one. */
    @AfterEach
    void liftRuntimeBlocks() { blockedAtRuntime().forEach(admin()::unblock); }

    private static FederationAdmin admin() {
        return nodes.a().node().module(FederationModule.class).orElseThrow().admin().orElseThrow();
    }

    private static List<String> blockedAtRuntime() {
        return admin().blockedDomains().stream().filter(block -> !block.byConfig()).map(BlockedDomain::domain).toList();
    }

    private static PeerReport peerB() {
        return admin().peers().stream().filter(peer -> peer.domain().equals(B)).findFirst().orElseThrow();
    }

    @Test
    void thePeersListShowsTheFederatedPeerReadyWithItsAuthMethod() {
        ConsoleClient console = nodes.signedIn();
        HttpResponse<String> peers = console.get("/api/v1/federation/peers");
        assertThat(peers.statusCode()).isEqualTo(200);
        Map<String, Object> b = peer(peers, B);
        assertThat(b).containsEntry("policy", "allowed").containsEntry("health", "ok").containsEntry("queued", 0);
        // a.test opened the link; XEP-0288 (federation.bidi, on by default) lets b.test answer over it.
        Map<String, Object> out = links(b).get(0);
        assertThat(out).containsEntry("direction", "bidi").containsEntry("state", "ready")
                .containsEntry("authMethod", "dialback");
        assertThat((String) out.get("tlsVersion")).startsWith("TLSv1.");
        assertThat(((Number) out.get("stanzasOut")).longValue()).isPositive();

        HttpResponse<String> page = console.get("/admin/federation");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<tbody class=\"peer health-ok\" data-peer=\"" + B + "\">")
                .contains(">dialback<").contains(">ready<").contains("data-live=\"/api/v1/federation/live\"");

        HttpResponse<String> live = console.get("/api/v1/federation/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(Json.object(live)).containsEntry(B + ":queued", 0).containsEntry(B + ":health", "ok")
                .containsEntry(B + ":link:0:state", "ready");
    }

    @Test
    void callersWithoutASessionAreRefusedAndNothingChanges() {
        ConsoleClient stranger = new ConsoleClient(nodes.base());
        for (String path : List.of("/api/v1/federation/peers", "/api/v1/federation/live",
                "/api/v1/federation/blocked")) {
            HttpResponse<String> refused = stranger.get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(401);
            assertThat(refused.body()).contains("\"error\":\"unauthorized\"");
        }
        assertThat(stranger.call("POST", "/api/v1/federation/blocked", Map.of("domain", SPAMMER)).statusCode())
                .isEqualTo(401);
        assertThat(stranger.call("DELETE", "/api/v1/federation/blocked/" + CONFIG_BLOCKED, null).statusCode())
                .isEqualTo(401);
        assertThat(stranger.call("POST", "/api/v1/federation/peers/" + B + "/retry", null).statusCode())
                .isEqualTo(401);
        assertThat(stranger.call("POST", "/api/v1/federation/check", Map.of("domain", B)).statusCode())
                .isEqualTo(401);
        assertThat(stranger.basic("POST", "/api/v1/federation/blocked", Map.of("domain", SPAMMER),
                nodes.admin().toString(), "wrong-password").statusCode()).isEqualTo(401);
        assertThat(stranger.get("/admin/federation").statusCode()).isEqualTo(303);
        assertThat(stranger.get("/admin/federation/check").statusCode()).isEqualTo(303);
        for (String form : List.of("/admin/federation/block", "/admin/federation/unblock", "/admin/federation/retry",
                "/admin/federation/check")) {
            assertThat(stranger.postForm(form, Map.of("domain", SPAMMER, "csrf", "guess")).statusCode()).as(form)
                    .isEqualTo(401);
        }
        assertThat(blockedAtRuntime()).isEmpty();
    }

    @Test
    void changesWithoutTheSessionsCsrfTokenAreRefusedAndNothingChanges() {
        ConsoleClient console = nodes.signedIn();
        for (String token : new String[] {null, "forged-token"}) {
            assertThat(console.callWithCsrf("POST", "/api/v1/federation/blocked", Map.of("domain", SPAMMER), token)
                    .statusCode()).isEqualTo(403);
            assertThat(console.callWithCsrf("POST", "/api/v1/federation/peers/" + B + "/retry", null, token)
                    .statusCode()).isEqualTo(403);
            assertThat(console.callWithCsrf("POST", "/api/v1/federation/check", Map.of("domain", B), token)
                    .statusCode()).isEqualTo(403);
        }
        assertThat(console.postForm("/admin/federation/check", Map.of("domain", B, "csrf", "forged")).statusCode())
                .isEqualTo(403);
        admin().block(SPAMMER);
        HttpResponse<String> refused = console.callWithCsrf("DELETE", "/api/v1/federation/blocked/" + SPAMMER,
                null, "forged-token");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("\"error\":\"csrf\"");
        assertThat(console.postForm("/admin/federation/unblock", Map.of("domain", SPAMMER)).statusCode())
                .isEqualTo(403);
        assertThat(console.postForm("/admin/federation/unblock", Map.of("domain", SPAMMER, "csrf", "forged"))
                .statusCode()).isEqualTo(403);
        assertThat(blockedAtRuntime()).containsExactly(SPAMMER);
        admin().unblock(SPAMMER);
        assertThat(console.postForm("/admin/federation/block", Map.of("domain", SPAMMER, "csrf", "forged"))
                .statusCode()).isEqualTo(403);
        assertThat(blockedAtRuntime()).isEmpty();
        assertThat(peerB().links()).anyMatch(link -> link.state() == LinkStatus.State.READY);
    }

    @Test
    void invalidDomainsGetTheAdminApisReasonAndNothingChanges() {
        ConsoleClient console = nodes.signedIn();
        Map<String, String> reasons = Map.of(
                "not a domain!", "is not a valid domain name",
                "user@" + B, "is an address, not a domain",
                "127.0.0.1", "is an IP address, not a domain name",
                A, "is served by this node, not a peer",
                "x".repeat(2000) + ".example", "longer than 1023 characters");
        reasons.forEach((domain, reason) -> {
            HttpResponse<String> block = console.call("POST", "/api/v1/federation/blocked", Map.of("domain", domain));
            assertThat(block.statusCode()).as(domain).isEqualTo(400);
            assertThat(block.body()).as(domain).contains(reason);
            String path = URLEncoder.encode(domain, StandardCharsets.UTF_8).replace("+", "%20");
            HttpResponse<String> retry = console.call("POST", "/api/v1/federation/peers/" + path + "/retry", null);
            assertThat(retry.statusCode()).as(domain).isEqualTo(400);
            assertThat(retry.body()).as(domain).contains(domain.length() > 1023 ? "at most 1023 characters" : reason);
            assertThat(console.call("DELETE", "/api/v1/federation/blocked/" + path, null).statusCode()).as(domain)
                    .isEqualTo(400);
            HttpResponse<String> check = console.call("POST", "/api/v1/federation/check", Map.of("domain", domain));
            assertThat(check.statusCode()).as(domain).isEqualTo(400);
            assertThat(Json.object(check))
                    .containsEntry("error", domain.length() > 1023 ? "bad-request" : "invalid-domain");
            assertThat(check.body()).as(domain).contains(reason);
        });
        HttpResponse<String> missing = console.call("POST", "/api/v1/federation/blocked", Map.of());
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("\"error\":\"bad-request\"", "The field 'domain' is required");

        // The page's form: back to the page, the reason as an error.
        String token = formToken(console);
        HttpResponse<String> form = console.postForm("/admin/federation/block",
                Map.of("domain", "user@" + B, "csrf", token, "back", "/admin/federation"));
        assertThat(form.statusCode()).isEqualTo(303);
        assertThat(console.get("/admin/federation").body())
                .contains("<p class=\"flash error\" role=\"status\">\"user@b.test\" is an address, not a domain");
        HttpResponse<String> check = console.postForm("/admin/federation/check",
                Map.of("domain", "<b>b.test</b>", "csrf", token, "back", "/admin/federation/check"));
        assertThat(check.statusCode()).isEqualTo(303);
        assertThat(check.headers().firstValue("Location")).hasValue("/admin/federation/check");
        assertThat(console.get("/admin/federation/check").body()).contains("<p class=\"flash error\" role=\"status\">"
                + "\"&lt;b&gt;b.test&lt;/b&gt;\" is not a valid domain name</p>");
        assertThat(blockedAtRuntime()).isEmpty();
    }

    @Test
    void aCheckOfThePeerRunsEveryStepFromInsideTheNode() {
        ConsoleClient console = nodes.signedIn();
        HttpResponse<String> check = console.call("POST", "/api/v1/federation/check", Map.of("domain", B));
        assertThat(check.statusCode()).isEqualTo(200);
        Map<String, Object> report = Json.object(check);
        assertThat(report).containsEntry("domain", B).containsEntry("ok", true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) report.get("steps");
        assertThat(steps).extracting(step -> step.get("name") + " " + step.get("outcome")).containsExactly(
                "resolution ok", "tcp ok", "tls ok", "certificate ok", "names ok", "expiry ok", "auth ok", "ping ok");
        assertThat((String) steps.get(6).get("detail")).startsWith("dialback: the peer verified our key with a.test");

        HttpResponse<String> page = console.postForm("/admin/federation/check",
                Map.of("domain", B, "csrf", formToken(console), "back", "/admin/federation/check"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Check a domain</h1>", "Every step to b.test passed.",
                "<tr class=\"outcome-ok\" data-step=\"resolution\">", "<tr class=\"outcome-ok\" data-step=\"ping\">");
    }

    @Test
    void withFederationOffThePageSaysSoAndACheckStillRuns() {
        int nobody = TestNode.freePort();
        try (ConsoleNode alone = ConsoleNode.start("federation.hosts.dead.test=127.0.0.1:" + nobody)) {
            ConsoleClient console = new ConsoleClient(alone.base());
            console.signIn(alone.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
            for (HttpResponse<String> off : List.of(console.get("/api/v1/federation/peers"),
                    console.call("POST", "/api/v1/federation/blocked", Map.of("domain", SPAMMER)),
                    console.call("POST", "/api/v1/federation/peers/dead.test/retry", null))) {
                assertThat(off.statusCode()).isEqualTo(409);
                assertThat(Json.object(off)).containsEntry("error", "federation-off")
                        .containsEntry("message", "Federation is off on this node (federation.enabled = false)");
            }
            assertThat(console.get("/admin/federation").body()).contains("Federation is off on this node")
                    .contains("<form method=\"post\" action=\"/admin/federation/check\"")
                    .doesNotContain("action=\"/admin/federation/block\"");

            HttpResponse<String> check = console.call("POST", "/api/v1/federation/check",
                    Map.of("domain", "dead.test"));
            assertThat(check.statusCode()).isEqualTo(200);
            assertThat(Json.object(check)).containsEntry("ok", false);
            assertThat(check.body()).contains("{\"name\":\"resolution\",\"outcome\":\"ok\"",
                    "{\"name\":\"tcp\",\"outcome\":\"failed\",\"detail\":\"cannot connect to 127.0.0.1:"
                            + nobody);
        }
    }

    @Test
    void anAdminBlocksAndUnblocksADomainThroughTheApiAndThePage() {
        ConsoleClient console = nodes.signedIn();
        HttpResponse<String> blocked = console.call("POST", "/api/v1/federation/blocked",
                Map.of("domain", "Spammer.Example"));
        assertThat(blocked.statusCode()).isEqualTo(200);
        assertThat(blocked.body()).contains("\"domain\":\"" + SPAMMER + "\"", "\"changed\":true",
                "Blocked spammer.example: closed 0 links; 0 queued stanzas bounce");
        assertThat(blockedAtRuntime()).containsExactly(SPAMMER);
        List<Map<String, Object>> blocks = Json.list(console.get("/api/v1/federation/blocked"));
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0)).containsEntry("domain", CONFIG_BLOCKED).containsEntry("byConfig", true);
        assertThat(blocks.get(0).get("blockedAt")).as("a block of the configuration has no time").isNull();
        assertThat(blocks.get(1)).containsEntry("domain", SPAMMER).containsEntry("byConfig", false);
        assertThat(Instant.parse((String) blocks.get(1).get("blockedAt"))).isBefore(Instant.now().plusSeconds(1));
        assertThat(console.call("POST", "/api/v1/federation/blocked", Map.of("domain", SPAMMER)).body())
                .contains("\"changed\":false", "spammer.example was already blocked");
        assertThat(peer(console.get("/api/v1/federation/peers"), SPAMMER)).containsEntry("policy", "blocked")
                .containsEntry("health", "blocked").containsEntry("blocked", true);

        HttpResponse<String> unblocked = console.call("DELETE", "/api/v1/federation/blocked/" + SPAMMER, null);
        assertThat(unblocked.statusCode()).isEqualTo(200);
        assertThat(unblocked.body()).contains("\"changed\":true", "Unblocked spammer.example");
        assertThat(blockedAtRuntime()).isEmpty();
        assertThat(console.call("DELETE", "/api/v1/federation/blocked/" + SPAMMER, null).body())
                .contains("\"changed\":false", "spammer.example was not blocked");

        // The same through the page's forms, and with HTTP Basic as a script would.
        String token = formToken(console);
        HttpResponse<String> form = console.postForm("/admin/federation/block", Map.of("domain", SPAMMER, "csrf", token,
                "back", "/admin/federation"));
        assertThat(form.statusCode()).isEqualTo(303);
        assertThat(form.headers().firstValue("Location")).hasValue("/admin/federation");
        String page = console.get("/admin/federation").body();
        assertThat(page).contains("<p class=\"flash ok\" role=\"status\">Blocked spammer.example")
                .contains("<tr data-blocked=\"" + SPAMMER + "\">");
        assertThat(blockedAtRuntime()).containsExactly(SPAMMER);
        assertThat(console.basic("DELETE", "/api/v1/federation/blocked/" + SPAMMER, null, nodes.admin().toString(),
                ConsoleNode.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
        assertThat(blockedAtRuntime()).isEmpty();
    }

    @Test
    void aBlockOfTheConfigurationCannotBeLiftedAndTheConsoleSaysWhy() {
        ConsoleClient console = nodes.signedIn();
        HttpResponse<String> refused = console.call("DELETE", "/api/v1/federation/blocked/" + CONFIG_BLOCKED, null);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("\"error\":\"conflict\"", CONFIG_BLOCKED + " is blocked by"
                + " federation.blocked_domains in the configuration, which cannot be lifted at runtime");

        String page = console.get("/admin/federation").body();
        assertThat(page).contains("<tr data-blocked=\"" + CONFIG_BLOCKED + "\">")
                .contains("Cannot be lifted here: remove it from the configuration and restart the node.");
        HttpResponse<String> form = console.postForm("/admin/federation/unblock", Map.of("domain", CONFIG_BLOCKED,
                "csrf", formToken(console), "back", "/admin/federation"));
        assertThat(form.statusCode()).isEqualTo(303);
        assertThat(console.get("/admin/federation").body()).contains("<p class=\"flash error\" role=\"status\">"
                + CONFIG_BLOCKED + " is blocked by federation.blocked_domains in the configuration");
        assertThat(admin().blockedDomains()).contains(new BlockedDomain(CONFIG_BLOCKED, true, null));

        HttpResponse<String> retry = console.call("POST", "/api/v1/federation/peers/" + CONFIG_BLOCKED + "/retry",
                null);
        assertThat(retry.statusCode()).isEqualTo(409);
        assertThat(retry.body())
                .contains(CONFIG_BLOCKED + " is blocked by federation.blocked_domains: nothing is sent to it");
    }

    @Test
    void retryNowOfAPeerWithNothingQueuedSaysSo() {
        ConsoleClient console = nodes.signedIn();
        HttpResponse<String> retry = console.call("POST", "/api/v1/federation/peers/" + B + "/retry", null);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).contains("\"result\":\"emptied\"", "\"queued\":0",
                "\"summary\":\"Nothing is queued for b.test.\"");

        HttpResponse<String> form = console.postForm("/admin/federation/retry", Map.of("domain", B,
                "csrf", formToken(console), "back", "/admin/federation"));
        assertThat(form.statusCode()).isEqualTo(303);
        assertThat(console.get("/admin/federation").body())
                .contains("<p class=\"flash ok\" role=\"status\">Nothing is queued for b.test.</p>");
    }

    static String formToken(ConsoleClient console) {
        Matcher token = FORM_TOKEN.matcher(console.get("/admin/federation").body());
        assertThat(token.find()).isTrue();
        return token.group(1);
    }

    /** The peer {@code domain} in an answer of GET /api/v1/federation/peers. */
    static Map<String, Object> peer(HttpResponse<String> peers, String domain) {
        return Json.list(peers).stream().filter(peer -> peer.get("domain").equals(domain)).findFirst()
                .orElseThrow(() -> new AssertionError(domain + " not in " + peers.body()));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> links(Map<String, Object> peer) {
        return (List<Map<String, Object>>) peer.get("links");
    }
}
