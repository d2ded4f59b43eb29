package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-in, sessions, CSRF and the security headers of the console and its JSON API, over real HTTP. */
class ConsoleSignInTest {
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String GUARDED_PASSWORD = "guarded-password";
    private static ConsoleNode node;

    @BeforeAll
    static void start() {
        node = ConsoleNode.start("auth.max_failures_per_ip=100", "auth.max_failures_per_account=3",
                "admins=[\"admin@" + org.skerry.interop.TestNode.DOMAIN + "\", \"guarded@" + org.skerry.interop.TestNode.DOMAIN + "\"]");
        node.node().createUser("alice", "alice-password");
        node.node().node().accounts().changePassword(org.skerry.server.xmpp.Jid.of("guarded", node.node().domain()), GUARDED_PASSWORD);
    }

    @AfterAll
    static void stop() { node.close(); }

    private ConsoleClient client() { return new ConsoleClient(node.base()); }

    @Test
    void theApiRefusesCallersWhoAreNotSignedIn() {
        HttpResponse<String> response = client().get("/api/v1/dashboard");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\":\"unauthorized\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    }

    @Test
    void anAdminSignsInAndReadsTheDashboardWhileOthersGetTheSameRefusal() {
        ConsoleClient wrongPassword = client();
        HttpResponse<String> refused = wrongPassword.signIn(node.admin().toString(), "not-it");
        ConsoleClient notAdmin = client();
        HttpResponse<String> refusedUser = notAdmin.signIn("alice@" + node.node().domain(), "alice-password");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refusedUser.statusCode()).isEqualTo(401);
        // No way to tell a wrong password from a non-admin account.
        assertThat(refusedUser.body()).isEqualTo(refused.body());

        ConsoleClient admin = client();
        HttpResponse<String> signedIn = admin.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(admin.csrfToken()).hasSizeGreaterThanOrEqualTo(40);
        String cookie = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("skerry_console=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure");

        HttpResponse<String> dashboard = admin.get("/api/v1/dashboard");
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.body()).contains("\"domain\":\"" + node.node().domain() + "\"").contains("\"clientsOnline\":0")
                .contains("\"certificateDaysLeft\":");
    }

    @Test
    void scriptsUseHttpBasicWithoutCsrf() {
        ConsoleClient script = client();
        assertThat(script.basic("GET", "/api/v1/dashboard", null, node.admin().toString(), ConsoleNode.ADMIN_PASSWORD)
                .statusCode()).isEqualTo(200);
        assertThat(script.basic("GET", "/api/v1/dashboard", null, node.admin().toString(), "wrong").statusCode())
                .isEqualTo(401);
        HttpResponse<String> malformed = script.send(HttpRequest.newBuilder(node.base().resolve("/api/v1/dashboard"))
                .header("Authorization", "Basic !!!not-base64").build());
        assertThat(malformed.statusCode()).isEqualTo(401);
    }

    @Test
    void changesWithACookieNeedTheSessionsCsrfToken() {
        ConsoleClient admin = client();
        admin.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
        assertThat(admin.callWithCsrf("DELETE", "/api/v1/session", null, null).statusCode()).isEqualTo(403);
        assertThat(admin.callWithCsrf("DELETE", "/api/v1/session", null, "forged-token").statusCode()).isEqualTo(403);
        assertThat(admin.get("/api/v1/dashboard").statusCode()).as("still signed in").isEqualTo(200);

        assertThat(admin.call("DELETE", "/api/v1/session", null).statusCode()).isEqualTo(200);
        assertThat(admin.get("/api/v1/dashboard").statusCode()).as("signed out").isEqualTo(401);
    }

    @Test
    void badRequestsGetClearErrors() {
        ConsoleClient admin = client();
        admin.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
        HttpResponse<String> notJson = admin.send(HttpRequest.newBuilder(node.base().resolve("/api/v1/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{not json")).build());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("not valid JSON");

        HttpResponse<String> huge = admin.send(HttpRequest.newBuilder(node.base().resolve("/api/v1/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jid\":\"" + "x".repeat(300_000) + "\"}")).build());
        assertThat(huge.statusCode()).isEqualTo(413);

        HttpResponse<String> unknown = admin.get("/api/v1/no-such-thing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"error\":\"not-found\"");

        HttpResponse<String> wrongMethod = admin.call("PUT", "/api/v1/dashboard", Map.of());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
    }

    @Test
    void repeatedWrongPasswordsAreThrottled() {
        ConsoleClient attacker = client();
        // An admin account of its own, so that the other tests' admin is not throttled.
        String target = "guarded@" + node.node().domain();
        assertThat(client().signIn(target, GUARDED_PASSWORD).statusCode()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(attacker.basic("GET", "/api/v1/dashboard", null, target, "guess" + i).statusCode()).isEqualTo(401);
        }
        assertThat(attacker.signIn(target, "guess-again").statusCode()).isEqualTo(429);
        // The account's window also refuses the right password until it passes: guessing gains nothing.
        assertThat(client().signIn(target, GUARDED_PASSWORD).statusCode()).isEqualTo(429);
    }

    @Test
    void pagesRedirectToTheSignInFormWhichIsProtectedAgainstForgedPosts() {
        ConsoleClient browser = client();
        HttpResponse<String> dashboard = browser.get("/admin/");
        assertThat(dashboard.statusCode()).isEqualTo(303);
        assertThat(dashboard.headers().firstValue("Location")).hasValue("/admin/login");

        // A post that did not come from our form (no double-submit cookie) is refused.
        HttpResponse<String> forged = client().postForm("/admin/login",
                Map.of("jid", node.admin().toString(), "password", ConsoleNode.ADMIN_PASSWORD, "csrf", "x"));
        assertThat(forged.statusCode()).isEqualTo(403);

        HttpResponse<String> form = browser.get("/admin/login");
        assertThat(form.statusCode()).isEqualTo(200);
        Matcher token = FORM_TOKEN.matcher(form.body());
        assertThat(token.find()).isTrue();
        HttpResponse<String> signedIn = browser.postForm("/admin/login",
                Map.of("jid", node.admin().toString(), "password", ConsoleNode.ADMIN_PASSWORD, "csrf", token.group(1)));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        HttpResponse<String> page = browser.get("/admin/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Dashboard</h1>").contains(node.admin().toString());

        // Sign-out is a change, so it needs the page's token too.
        assertThat(browser.postForm("/admin/logout", Map.of()).statusCode()).isEqualTo(403);
        Matcher pageToken = FORM_TOKEN.matcher(page.body());
        assertThat(pageToken.find()).isTrue();
        assertThat(browser.postForm("/admin/logout", Map.of("csrf", pageToken.group(1))).statusCode()).isEqualTo(303);
        assertThat(browser.get("/admin/").statusCode()).isEqualTo(303);
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (HttpResponse<String> response : new HttpResponse[] {client().get("/admin/login"), client().get("/api/v1/dashboard")}) {
            assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                    assertThat(csp).contains("frame-ancestors 'none'").contains("script-src 'self'").doesNotContain("unsafe"));
            assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(response.headers().firstValue("Server")).isEmpty();
        }
    }

    @Test
    void staticFilesAreServedAndPathsCannotClimbOut() {
        assertThat(client().get("/admin/static/console.css").statusCode()).isEqualTo(200);
        assertThat(client().get("/admin/static/console.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        // Jetty already refuses encoded separators (400); our own check refuses any other name (404).
        assertThat(client().get("/admin/static/..%2F..%2Fweb%2FConsoleHttp.class").statusCode()).isIn(400, 404);
        assertThat(client().get("/admin/static/ConsoleModule.class").statusCode()).isEqualTo(404);
        assertThat(client().get("/admin/static/nothing.css").statusCode()).isEqualTo(404);
    }

    @Test
    void hostMetaAnswersWebClients() {
        HttpResponse<String> xrd = client().get("/.well-known/host-meta");
        assertThat(xrd.statusCode()).isEqualTo(200);
        assertThat(xrd.body()).contains("<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>");
        assertThat(xrd.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        HttpResponse<String> jrd = client().get("/.well-known/host-meta.json");
        assertThat(jrd.body()).isEqualTo("{\"links\":[]}");
        assertThat(client().get("/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void aSessionEndsAfterItsIdleTimeout() throws InterruptedException {
        try (ConsoleNode shortSessions = ConsoleNode.start("http.session_timeout=\"1s\"")) {
            ConsoleClient admin = new ConsoleClient(shortSessions.base());
            admin.signIn(shortSessions.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
            assertThat(admin.get("/api/v1/dashboard").statusCode()).isEqualTo(200);
            Thread.sleep(1600);
            assertThat(admin.get("/api/v1/dashboard").statusCode()).isEqualTo(401);
        }
    }
}
