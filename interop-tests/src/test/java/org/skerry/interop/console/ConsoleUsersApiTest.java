package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.interop.TestNode;
import org.skerry.server.Accounts;
import org.skerry.server.xmpp.Jid;

/**
 * The Users API and pages over real HTTP: who may call them, CSRF, bad input, search and paging, create, reset,
 * delete. Every refused request leaves the accounts exactly as they were.
 */
class ConsoleUsersApiTest {
    static final String D = TestNode.DOMAIN;
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String VICTIM = "victim@" + D;
    private static final String VICTIM_PASSWORD = "victim-password";
    private static ConsoleNode node;

    /** One operation of the Users API with a body that would succeed. */
    record Endpoint(String method, String path, Map<String, ?> body) {}

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/v1/users", null),
            new Endpoint("POST", "/api/v1/users", Map.of("jid", "newbie@" + D, "password", "newbie-password")),
            new Endpoint("GET", "/api/v1/users/" + VICTIM, null),
            new Endpoint("DELETE", "/api/v1/users/" + VICTIM, Map.of("confirm", true)),
            new Endpoint("POST", "/api/v1/users/" + VICTIM + "/password", Map.of("password", "changed-password")),
            new Endpoint("POST", "/api/v1/users/" + VICTIM + "/lock", Map.of()),
            new Endpoint("POST", "/api/v1/users/" + VICTIM + "/unlock", Map.of()),
            new Endpoint("GET", "/api/v1/users/" + VICTIM + "/sessions", null),
            new Endpoint("POST", "/api/v1/users/" + VICTIM + "/kick", Map.of("resource", "desk")));

    /** The page forms, each with the fields that would succeed (the CSRF token aside). */
    static final Map<String, Map<String, String>> FORMS = Map.of(
            "/admin/users", Map.of("jid", "newbie@" + D, "password", "newbie-password"),
            "/admin/users/" + VICTIM + "/password", Map.of("password", "changed-password"),
            "/admin/users/" + VICTIM + "/lock", Map.of(),
            "/admin/users/" + VICTIM + "/unlock", Map.of(),
            "/admin/users/" + VICTIM + "/delete", Map.of("confirm", VICTIM),
            "/admin/users/" + VICTIM + "/kick", Map.of("resource", "desk"));

    @BeforeAll
    static void start() {
        node = ConsoleNode.start();
        node.node().createUser("victim", VICTIM_PASSWORD);
    }

    @AfterAll
    static void stop() { node.close(); }

    private static Accounts accounts() { return node.node().node().accounts(); }

    private static ConsoleClient admin() {
        ConsoleClient client = new ConsoleClient(node.base());
        assertThat(client.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
        return client;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return (Map<String, Object>) JSON.std.anyFrom(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** The victim exists with its password, is not locked, its client is still connected, and no newbie was made. */
    private static void assertNothingChanged(WatchedClient victimClient) {
        Jid victim = Jid.parse(VICTIM);
        assertThat(accounts().exists(victim)).isTrue();
        assertThat(accounts().isLocked(victim)).isFalse();
        assertThat(accounts().summary(victim).orElseThrow().locked()).isFalse();
        assertThat(accounts().passwordMatches(victim, VICTIM_PASSWORD)).isTrue();
        assertThat(accounts().exists(Jid.parse("newbie@" + D))).isFalse();
        assertThat(victimClient.closedByServer()).isFalse();
        assertThat(node.node().node().sessions().sessions(victim)).hasSize(1);
    }

    @Test
    void withoutASessionEveryEndpointAnswers401AndNothingChanges() {
        try (WatchedClient victim = new WatchedClient(node.node(), "victim", VICTIM_PASSWORD, "desk")) {
            ConsoleClient stranger = new ConsoleClient(node.base());
            for (Endpoint e : ENDPOINTS) {
                HttpResponse<String> response = stranger.call(e.method(), e.path(), e.body());
                assertThat(response.statusCode()).as(e.method() + " " + e.path()).isEqualTo(401);
                assertThat(json(response)).containsEntry("error", "unauthorized");
            }
            // One try each: the console throttles failed sign-ins, and the admin must stay unthrottled.
            assertThat(stranger.basic("POST", "/api/v1/users/" + VICTIM + "/lock", Map.of(), VICTIM, VICTIM_PASSWORD)
                    .statusCode()).as("Basic as a user who is no admin, with its right password").isEqualTo(401);
            assertThat(stranger.basic("POST", "/api/v1/users/" + VICTIM + "/lock", Map.of(), node.admin().toString(),
                    "wrong-password").statusCode()).as("Basic with a wrong password").isEqualTo(401);
            for (String form : FORMS.keySet()) {
                assertThat(stranger.postForm(form, FORMS.get(form)).statusCode()).as(form).isEqualTo(401);
            }
            assertThat(stranger.get("/admin/users").statusCode()).as("the page sends strangers to sign in").isEqualTo(303);
            assertNothingChanged(victim);
        }
    }

    @Test
    void changesWithoutTheCsrfTokenAre403AndNothingChanges() {
        try (WatchedClient victim = new WatchedClient(node.node(), "victim", VICTIM_PASSWORD, "desk")) {
            ConsoleClient admin = admin();
            for (Endpoint e : ENDPOINTS) {
                if (e.method().equals("GET")) {
                    continue;
                }
                for (String token : new String[] {null, "forged-token", admin.csrfToken() + "x"}) {
                    HttpResponse<String> response = admin.callWithCsrf(e.method(), e.path(), e.body(), token);
                    assertThat(response.statusCode()).as(e.method() + " " + e.path() + " with " + token).isEqualTo(403);
                    assertThat(json(response)).containsEntry("error", "csrf");
                }
            }
            for (String form : FORMS.keySet()) {
                Map<String, String> fields = new LinkedHashMap<>(FORMS.get(form));
                assertThat(admin.postForm(form, fields).statusCode()).as(form + " without a token").isEqualTo(403);
                fields.put("csrf", "forged-token");
                assertThat(admin.postForm(form, fields).statusCode()).as(form + " with a forged token").isEqualTo(403);
            }
            assertNothingChanged(victim);
            assertThat(admin.get("/api/v1/users/" + VICTIM).statusCode()).as("still signed in").isEqualTo(200);
        }
    }

    @Test
    void badInputGetsClearErrorsAndNothingChanges() {
        try (WatchedClient victim = new WatchedClient(node.node(), "victim", VICTIM_PASSWORD, "desk")) {
            ConsoleClient admin = admin();
            long before = accounts().count(D);
            String nobody = "/api/v1/users/nobody@" + D;
            for (Endpoint e : List.of(new Endpoint("GET", nobody, null), new Endpoint("DELETE", nobody, Map.of("confirm", true)),
                    new Endpoint("POST", nobody + "/password", Map.of("password", "x-password")),
                    new Endpoint("POST", nobody + "/lock", Map.of()), new Endpoint("POST", nobody + "/unlock", Map.of()),
                    new Endpoint("GET", nobody + "/sessions", null),
                    new Endpoint("POST", nobody + "/kick", Map.of("resource", "desk")),
                    new Endpoint("POST", "/api/v1/users/" + VICTIM + "/kick", Map.of("resource", "no-such-resource")),
                    new Endpoint("GET", "/api/v1/users/victim@elsewhere.example", null),
                    new Endpoint("POST", "/api/v1/users/victim@elsewhere.example/lock", Map.of()))) {
                HttpResponse<String> response = admin.call(e.method(), e.path(), e.body());
                assertThat(response.statusCode()).as(e.method() + " " + e.path()).isEqualTo(404);
                assertThat(json(response)).containsEntry("error", "not-found").containsKey("message");
            }
            String longPassword = "p".repeat(1025);
            String longJid = "a".repeat(3070) + "@" + D;
            List<Endpoint> bad = List.of(
                    new Endpoint("POST", "/api/v1/users", Map.of("jid", "a@b@c", "password", "pw")),
                    new Endpoint("POST", "/api/v1/users", Map.of("jid", "newbie@" + D + "/laptop", "password", "pw")),
                    new Endpoint("POST", "/api/v1/users", Map.of("jid", D, "password", "pw")),
                    new Endpoint("POST", "/api/v1/users", Map.of("jid", "newbie@elsewhere.example", "password", "pw")),
                    new Endpoint("POST", "/api/v1/users", Map.of("jid", "newbie@" + D)),
                    new Endpoint("POST", "/api/v1/users", Map.of("jid", "newbie@" + D, "password", "")),
                    new Endpoint("POST", "/api/v1/users", Map.of("jid", "newbie@" + D, "password", longPassword)),
                    new Endpoint("POST", "/api/v1/users", Map.of("jid", longJid, "password", "pw")),
                    new Endpoint("POST", "/api/v1/users/" + VICTIM + "/password", Map.of("password", longPassword)),
                    new Endpoint("POST", "/api/v1/users/" + VICTIM + "/password", Map.of()),
                    new Endpoint("POST", "/api/v1/users/" + VICTIM + "/kick", Map.of("resource", "r".repeat(1024))),
                    new Endpoint("POST", "/api/v1/users/" + VICTIM + "/kick", Map.of()),
                    new Endpoint("GET", "/api/v1/users/not@@valid", null),
                    new Endpoint("POST", "/api/v1/users/not@@valid/lock", Map.of()),
                    new Endpoint("DELETE", "/api/v1/users/" + VICTIM, Map.of()),
                    new Endpoint("DELETE", "/api/v1/users/" + VICTIM, Map.of("confirm", false)),
                    new Endpoint("DELETE", "/api/v1/users/" + VICTIM, Map.of("confirm", "yes please")),
                    new Endpoint("GET", "/api/v1/users?q=" + "q".repeat(1024), null),
                    new Endpoint("GET", "/api/v1/users?page=0", null),
                    new Endpoint("GET", "/api/v1/users?page=two", null),
                    new Endpoint("GET", "/api/v1/users?page=99999999999", null),
                    new Endpoint("GET", "/api/v1/users?domain=elsewhere.example", null));
            for (Endpoint e : bad) {
                HttpResponse<String> response = admin.call(e.method(), e.path(), e.body());
                assertThat(response.statusCode()).as(e.method() + " " + e.path() + " " + e.body()).isEqualTo(400);
                assertThat(json(response).get("message").toString()).isNotBlank();
            }
            assertThat(json(admin.call("DELETE", "/api/v1/users/" + VICTIM, Map.of())))
                    .containsEntry("error", "confirmation-required");
            assertThat(json(admin.call("GET", "/api/v1/users/not@@valid", null))).containsEntry("error", "invalid-jid");
            assertThat(admin.call("PUT", "/api/v1/users/" + VICTIM, Map.of()).statusCode()).isEqualTo(405);

            // The page's delete needs the address typed in: a click alone, or another address, is sent back.
            String page = admin.get("/admin/users/" + VICTIM).body();
            String token = token(page);
            for (String typed : new String[] {"", "someone@" + D, "not@@valid"}) {
                HttpResponse<String> refused = admin.postForm("/admin/users/" + VICTIM + "/delete",
                        Map.of("csrf", token, "confirm", typed, "back", "/admin/users/" + VICTIM));
                assertThat(refused.statusCode()).isEqualTo(303);
                assertThat(admin.get("/admin/users/" + VICTIM).body()).contains("flash error")
                        .contains("needs an explicit confirmation");
            }
            assertThat(accounts().count(D)).isEqualTo(before);
            assertNothingChanged(victim);
        }
    }

    @Test
    void searchFindsByLocalpartAndPagesFiftyAtATime() {
        for (int i = 0; i < 61; i++) {
            accounts().create(Jid.of(String.format("page%02d", i), D), "pw");
        }
        accounts().create(Jid.of("pagan", D), "pw");
        ConsoleClient admin = admin();
        Map<String, Object> first = json(admin.get("/api/v1/users?q=PAGE"));
        assertThat(first).containsEntry("domain", D).containsEntry("query", "page").containsEntry("total", 61)
                .containsEntry("page", 1).containsEntry("pages", 2).containsEntry("pageSize", 50);
        List<?> users = (List<?>) first.get("users");
        assertThat(users).hasSize(50);
        assertThat(((Map<?, ?>) users.get(0)).get("jid")).isEqualTo("page00@" + D);
        assertThat(object(users.get(0))).containsEntry("locked", false).containsEntry("sessions", 0).containsKey("created");

        List<?> second = (List<?>) json(admin.get("/api/v1/users?q=page&page=2")).get("users");
        assertThat(second).hasSize(11);
        assertThat(((Map<?, ?>) second.get(10)).get("jid")).isEqualTo("page60@" + D);
        assertThat((List<?>) json(admin.get("/api/v1/users?q=page&page=3")).get("users")).isEmpty();
        assertThat(json(admin.get("/api/v1/users?q=pag"))).containsEntry("total", 62);
        assertThat(json(admin.get("/api/v1/users?q=%25"))).as("a wildcard matches itself only").containsEntry("total", 0);
        assertThat((Integer) json(admin.get("/api/v1/users")).get("total")).isGreaterThanOrEqualTo(63);

        String page = admin.get("/admin/users?q=page&page=2").body();
        assertThat(page).contains("61 of the accounts on " + D + " match").contains("page60@" + D)
                .doesNotContain("page49@" + D).contains("Page 2 of 2").contains("rel=\"prev\"");
    }

    @Test
    void anAccountIsCreatedItsPasswordResetAndItIsDeletedOnlyWithConfirmation() throws Exception {
        ConsoleClient admin = admin();
        HttpResponse<String> created = admin.call("POST", "/api/v1/users", Map.of("jid", "Created@" + D, "password", "first-pw"));
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(json(created)).containsEntry("jid", "created@" + D).containsEntry("locked", false)
                .containsEntry("admin", false).containsEntry("sessions", List.of());
        Jid jid = Jid.parse("created@" + D);
        assertThat(accounts().passwordMatches(jid, "first-pw")).isTrue();
        HttpResponse<String> again = admin.call("POST", "/api/v1/users", Map.of("jid", "created@" + D, "password", "other"));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(accounts().passwordMatches(jid, "first-pw")).as("the existing account is untouched").isTrue();

        assertThat(admin.call("POST", "/api/v1/users/created@" + D + "/password", Map.of("password", "second-pw"))
                .statusCode()).isEqualTo(200);
        assertThat(accounts().passwordMatches(jid, "second-pw")).isTrue();
        assertThat(accounts().passwordMatches(jid, "first-pw")).isFalse();
        new WatchedClient(node.node(), "created", "second-pw", "check").close();

        assertThat(admin.call("DELETE", "/api/v1/users/created@" + D, Map.of()).statusCode()).isEqualTo(400);
        assertThat(accounts().exists(jid)).isTrue();
        HttpResponse<String> deleted = admin.call("DELETE", "/api/v1/users/created@" + D, Map.of("confirm", true));
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(accounts().exists(jid)).isFalse();
        assertThat(admin.get("/api/v1/users/created@" + D).statusCode()).isEqualTo(404);

        // Scripts do the same with HTTP Basic and no CSRF token.
        ConsoleClient script = new ConsoleClient(node.base());
        assertThat(script.basic("POST", "/api/v1/users", Map.of("jid", "scripted@" + D, "password", "pw"),
                node.admin().toString(), ConsoleNode.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
        assertThat(script.basic("DELETE", "/api/v1/users/scripted@" + D, Map.of("confirm", true),
                node.admin().toString(), ConsoleNode.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
        assertThat(accounts().exists(Jid.parse("scripted@" + D))).isFalse();
    }

    @Test
    void thePagesCreateAndDeleteWithTheTypedConfirmation() {
        ConsoleClient admin = admin();
        String list = admin.get("/admin/users").body();
        HttpResponse<String> created = admin.postForm("/admin/users", Map.of("csrf", token(list),
                "jid", "formed@" + D, "password", "formed-pw", "back", "/admin/users"));
        assertThat(created.statusCode()).isEqualTo(303);
        assertThat(created.headers().firstValue("Location")).hasValue("/admin/users/formed@" + D);
        String page = admin.get("/admin/users/formed@" + D).body();
        assertThat(page).contains("Created formed@" + D).contains("<h1>formed@" + D + "</h1>").contains("Not connected.");

        HttpResponse<String> deleted = admin.postForm("/admin/users/formed@" + D + "/delete",
                Map.of("csrf", token(page), "confirm", " Formed@" + D + " ", "back", "/admin/users/formed@" + D));
        assertThat(deleted.statusCode()).isEqualTo(303);
        assertThat(deleted.headers().firstValue("Location")).hasValue("/admin/users");
        assertThat(accounts().exists(Jid.parse("formed@" + D))).isFalse();
        assertThat(admin.get("/admin/users").body()).contains("Deleted formed@" + D);
        assertThat(admin.get("/admin/users/formed@" + D).statusCode()).isEqualTo(404);
    }

    @Test
    void addressesWithCharactersThatUrlsEncodeWork() {
        ConsoleClient admin = admin();
        for (String local : new String[] {"plus+tag", "per%cent", "tilde~x"}) {
            String jid = local + "@" + D;
            assertThat(admin.call("POST", "/api/v1/users", Map.of("jid", jid, "password", "pw")).statusCode()).isEqualTo(200);
            String encoded = java.net.URLEncoder.encode(local, java.nio.charset.StandardCharsets.UTF_8);
            HttpResponse<String> found = admin.get("/api/v1/users/" + encoded + "@" + D);
            assertThat(found.statusCode()).as(jid + ": " + found.body()).isEqualTo(200);
            assertThat(json(found)).containsEntry("jid", jid);
            assertThat(admin.get("/admin/users?q=" + encoded).body()).as("the list links to the account")
                    .contains("href=\"/admin/users/" + encoded + "@" + D + "\"");
        }
    }

    @Test
    void adminsCannotLockOrDeleteThemselves() {
        ConsoleClient admin = admin();
        String self = "/api/v1/users/" + node.admin();
        for (Endpoint e : List.of(new Endpoint("POST", self + "/lock", Map.of()),
                new Endpoint("DELETE", self, Map.of("confirm", true)))) {
            HttpResponse<String> response = admin.call(e.method(), e.path(), e.body());
            assertThat(response.statusCode()).as(e.path()).isEqualTo(409);
            assertThat(json(response)).containsEntry("error", "conflict");
            assertThat(json(response).get("message").toString()).contains("your own account");
        }
        String page = admin.get("/admin/users/" + node.admin()).body();
        assertThat(page).contains("This is your own account").doesNotContain("/lock\"");
        HttpResponse<String> viaForm = admin.postForm("/admin/users/" + node.admin() + "/lock",
                Map.of("csrf", token(page), "back", "/admin/users/" + node.admin()));
        assertThat(viaForm.statusCode()).isEqualTo(303);
        assertThat(admin.get("/admin/users/" + node.admin()).body()).contains("You cannot lock your own account");
        assertThat(accounts().isLocked(node.admin())).isFalse();
        assertThat(accounts().exists(node.admin())).isTrue();
        assertThat(admin.get("/api/v1/users").statusCode()).as("still signed in").isEqualTo(200);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) { return (Map<String, Object>) value; }

    static List<?> jsonList(HttpResponse<String> response) {
        try {
            return (List<?>) JSON.std.anyFrom(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static String token(String page) {
        Matcher m = FORM_TOKEN.matcher(page);
        assertThat(m.find()).as("a form with a CSRF token").isTrue();
        return m.group(1);
    }

    static List<String> resources(Map<String, Object> user) {
        List<String> out = new ArrayList<>();
        for (Object s : (List<?>) user.get("sessions")) {
            out.add((String) ((Map<?, ?>) s).get("resource"));
        }
        return out;
    }
}
