package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.skerry.interop.console.ConsoleUsersApiTest.json;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.packet.StreamError;
import org.jivesoftware.smack.sasl.SASLError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.skerry.interop.RawXmppClient;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;
import org.skerry.server.auth.ScramClient;
import org.skerry.server.xmpp.Jid;

/**
 * What the Users area does to live clients, with real Smack clients: locking ends their sessions and refuses their
 * logins with {@code <account-disabled/>} until unlocked; a kick ends one session; the console's own sessions of
 * an account end when it is locked, deleted or given a new password; resource names are shown as text.
 */
class ConsoleUserSessionsTest {
    static final String D = TestNode.DOMAIN;
    private static final String SECOND = "second@" + D;
    private static final String CLIENT_NODE = "https://skerry.test/a-client";
    private static ConsoleNode node;

    @BeforeAll
    static void start() {
        node = ConsoleNode.start("admins=[\"admin@" + D + "\", \"" + SECOND + "\"]");
        node.node().node().accounts().changePassword(Jid.parse(SECOND), "second-password");
    }

    @AfterAll
    static void stop() { node.close(); }

    private static ConsoleClient signIn(String jid, String password) {
        ConsoleClient client = new ConsoleClient(node.base());
        assertThat(client.signIn(jid, password).statusCode()).as("sign-in of " + jid).isEqualTo(200);
        return client;
    }

    private static ConsoleClient admin() { return signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD); }

    @Test
    void aLockedAccountIsDisconnectedAndRefusedWithAccountDisabledUntilUnlocked() throws Exception {
        node.node().createUser("locky", "locky-password");
        ConsoleClient admin = admin();
        try (WatchedClient client = new WatchedClient(node.node(), "locky", "locky-password", "laptop")) {
            HttpResponse<String> locked = admin.call("POST", "/api/v1/users/locky@" + D + "/lock", Map.of());
            assertThat(locked.statusCode()).isEqualTo(200);
            assertThat(json(locked)).as("the answer comes once the session ended").containsEntry("locked", true)
                    .containsEntry("sessions", List.of());
            assertThat(json(locked).get("lockedSince")).isNotNull();

            StreamError error = client.awaitStreamError();
            assertThat(error.getCondition()).isEqualTo(StreamError.Condition.policy_violation);
            assertThat(error.getDescriptiveText()).isEqualTo("The account was locked by an administrator");
        }
        assertThatThrownBy(() -> login("locky", "locky-password"))
                .isInstanceOfSatisfying(SASLErrorException.class, e ->
                        assertThat(e.getSASLFailure().getSASLError()).isEqualTo(SASLError.account_disabled));
        // A wrong password still gets not-authorized: the lock is revealed only to someone who knows the password.
        assertThatThrownBy(() -> login("locky", "wrong-password"))
                .isInstanceOfSatisfying(SASLErrorException.class, e ->
                        assertThat(e.getSASLFailure().getSASLError()).isEqualTo(SASLError.not_authorized));
        assertThat(admin.get("/admin/users/locky@" + D).body()).contains("Locked").contains(">Unlock<");
        assertThat(admin.call("POST", "/api/v1/users/locky@" + D + "/lock", Map.of()).statusCode())
                .as("locking again changes nothing").isEqualTo(200);

        HttpResponse<String> unlocked = admin.call("POST", "/api/v1/users/locky@" + D + "/unlock", Map.of());
        assertThat(json(unlocked)).containsEntry("locked", false);
        assertThat(json(unlocked).get("lockedSince")).isNull();
        login("locky", "locky-password").disconnect();
    }

    @Test
    void aLockSurvivesARestartOfTheNode() throws Exception {
        ConsoleNode other = ConsoleNode.start();
        TestNode restarted = null;
        try {
            other.node().createUser("sleeper", "sleeper-password");
            ConsoleClient admin = new ConsoleClient(other.base());
            admin.signIn(other.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
            assertThat(admin.call("POST", "/api/v1/users/sleeper@" + D + "/lock", Map.of()).statusCode()).isEqualTo(200);
            restarted = other.node().restart();
            assertThat(restarted.node().accounts().isLocked(Jid.parse("sleeper@" + D))).isTrue();
            XMPPTCPConnection connection = new XMPPTCPConnection(
                    SmackClients.config(restarted, "sleeper", "sleeper-password", "x").build());
            try {
                assertThatThrownBy(() -> connection.connect().login())
                        .isInstanceOfSatisfying(SASLErrorException.class, e ->
                                assertThat(e.getSASLFailure().getSASLError()).isEqualTo(SASLError.account_disabled));
            } finally {
                connection.disconnect();
            }
        } finally {
            if (restarted != null) {
                restarted.close();
            } else {
                other.close();
            }
        }
    }

    @Test
    void anAccountLockedBetweenItsAuthenticationAndItsBindIsStillShutOut() {
        node.node().createUser("racer", "racer-password");
        try (RawXmppClient raw = RawXmppClient.connect(node.node())) {
            raw.openStream();
            raw.startTls();
            assertThat(raw.authenticate(new ScramClient("SCRAM-SHA-256", "racer", "racer-password")).succeeded()).isTrue();
            // Nothing is bound yet, so the lock's sweep of the live sessions cannot find this stream.
            assertThat(admin().call("POST", "/api/v1/users/racer@" + D + "/lock", Map.of()).statusCode()).isEqualTo(200);
            raw.openStream();
            raw.send("<iq type='set' id='bind-1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>late</resource></bind></iq>");
            RawXmppClient.StreamEnd end = raw.awaitEnd(Duration.ofSeconds(10));
            assertThat(end.condition()).isEqualTo("policy-violation");
            assertThat(end.raw()).doesNotContain("<jid>");
        }
        await().atMost(Duration.ofSeconds(5)).until(() ->
                node.node().node().sessions().sessions(Jid.parse("racer@" + D)).isEmpty());
    }

    @Test
    void lockingEndsAHibernatingSessionAtOnce() throws Exception {
        node.node().createUser("mobile", "mobile-password");
        XMPPTCPConnection mobile = new XMPPTCPConnection(
                SmackClients.config(node.node(), "mobile", "mobile-password", "phone").build());
        mobile.setUseStreamManagement(true);
        mobile.setUseStreamManagementResumption(true);
        mobile.connect().login();
        assertThat(mobile.isSmResumptionPossible()).isTrue();
        mobile.instantShutdown();
        Jid jid = new Jid("mobile", D, "phone");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            var s = node.node().node().sessions().session(jid);
            return s != null && s.isHibernating();
        });
        ConsoleClient admin = admin();
        Map<String, Object> before = json(admin.get("/api/v1/users/mobile@" + D));
        assertThat((List<?>) before.get("sessions")).singleElement().satisfies(s -> {
            assertThat(ConsoleUsersApiTest.object(s)).containsEntry("hibernating", true);
            assertThat(((Map<?, ?>) s).get("tlsProtocol")).isNull();
        });

        assertThat(admin.call("POST", "/api/v1/users/mobile@" + D + "/lock", Map.of()).statusCode()).isEqualTo(200);
        // Ended by the lock, not by the resumption timeout (minutes away).
        await().atMost(Duration.ofSeconds(3)).until(() -> node.node().node().sessions().session(jid) == null);
        assertThatThrownBy(() -> mobile.connect().login()).isInstanceOf(SASLErrorException.class);
        mobile.disconnect();
    }

    @Test
    void theSessionsListShowsWhatIsKnownAndAKickEndsExactlyOne() throws Exception {
        node.node().createUser("kicky", "kicky-password");
        ConsoleClient admin = admin();
        try (WatchedClient laptop = new WatchedClient(node.node(), "kicky", "kicky-password", "laptop");
             RawXmppClient phone = RawXmppClient.connect(node.node())) {
            // The phone advertises its software in presence (XEP-0115), as real clients do; the laptop does not.
            phone.login("kicky", "kicky-password", "phone");
            phone.send(capsPresence(CLIENT_NODE));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    admin.get("/api/v1/users/kicky@" + D + "/sessions").body().contains(CLIENT_NODE));
            List<?> sessions = ConsoleUsersApiTest.jsonList(admin.get("/api/v1/users/kicky@" + D + "/sessions"));
            assertThat(sessions).hasSize(2);
            for (Object entry : sessions) {
                Map<String, Object> s = ConsoleUsersApiTest.object(entry);
                assertThat(s.get("resource")).isIn("laptop", "phone");
                assertThat(s).containsEntry("client", s.get("resource").equals("phone") ? CLIENT_NODE : "unknown")
                        .containsEntry("ip", "127.0.0.1").containsEntry("hibernating", false);
                assertThat((String) s.get("tlsProtocol")).startsWith("TLSv1.");
                assertThat((String) s.get("tlsCipher")).startsWith("TLS_");
                assertThat((String) s.get("since")).endsWith("Z");
            }
            String page = admin.get("/admin/users/kicky@" + D).body();
            assertThat(page).contains("Live sessions (2)").contains(CLIENT_NODE).contains("unknown").contains("127.0.0.1")
                    .contains("TLSv1.");

            HttpResponse<String> kicked = admin.call("POST", "/api/v1/users/kicky@" + D + "/kick", Map.of("resource", "laptop"));
            assertThat(kicked.statusCode()).isEqualTo(200);
            assertThat(ConsoleUsersApiTest.jsonList(kicked)).as("the answer comes once the session ended").hasSize(1);
            StreamError error = laptop.awaitStreamError();
            assertThat(error.getCondition()).isEqualTo(StreamError.Condition.policy_violation);
            assertThat(error.getDescriptiveText()).isEqualTo("Disconnected by an administrator");
            assertThat(node.node().node().sessions().sessions(Jid.parse("kicky@" + D)))
                    .extracting(s -> s.jid().resource()).containsExactly("phone");

            // The page's button does the same.
            HttpResponse<String> viaPage = admin.postForm("/admin/users/kicky@" + D + "/kick",
                    Map.of("csrf", ConsoleUsersApiTest.token(page), "resource", "phone", "back", "/admin/users/kicky@" + D));
            assertThat(viaPage.statusCode()).isEqualTo(303);
            RawXmppClient.StreamEnd end = phone.awaitEnd(Duration.ofSeconds(10));
            assertThat(end.condition()).isEqualTo("policy-violation");
            assertThat(end.raw()).contains("Disconnected by an administrator");
            assertThat(admin.get("/admin/users/kicky@" + D).body()).contains("Disconnected kicky@" + D + "/phone")
                    .contains("Not connected.");
        }
    }

    /** An available presence with a XEP-0115 caps element naming the client software. */
    static String capsPresence(String node) {
        return "<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='" + node
                + "' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/></presence>";
    }

    @Test
    void resourceNamesAreRenderedAsText() throws Exception {
        node.node().createUser("mallory", "mallory-password");
        String script = "<script>alert(1)</script>";
        String image = "\"><img src=x onerror=alert(1)>";
        ConsoleClient admin = admin();
        try (WatchedClient a = new WatchedClient(node.node(), "mallory", "mallory-password", script);
             WatchedClient b = new WatchedClient(node.node(), "mallory", "mallory-password", image)) {
            String page = admin.get("/admin/users/mallory@" + D).body();
            assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain(script)
                    .doesNotContain("<img src=x").contains("&lt;img src=x onerror=alert(1)&gt;");
            HttpResponse<String> json = admin.get("/api/v1/users/mallory@" + D + "/sessions");
            assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(json.body()).contains("alert(1)");
            // The kick form carries the name back exactly, so even such a session can be ended from the page.
            HttpResponse<String> kicked = admin.postForm("/admin/users/mallory@" + D + "/kick",
                    Map.of("csrf", ConsoleUsersApiTest.token(page), "resource", image, "back", "/admin/users/mallory@" + D));
            assertThat(kicked.statusCode()).isEqualTo(303);
            assertThat(b.awaitStreamError().getCondition()).isEqualTo(StreamError.Condition.policy_violation);
            assertThat(a.closedByServer()).isFalse();
        }
    }

    @Test
    void lockingResettingOrDeletingAnAdminEndsItsConsoleSessions() {
        ConsoleClient admin = admin();
        ConsoleClient second = signIn(SECOND, "second-password");
        assertThat(admin.call("POST", "/api/v1/users/" + SECOND + "/lock", Map.of()).statusCode()).isEqualTo(200);
        assertThat(second.get("/api/v1/users").statusCode()).as("session ended by the lock").isEqualTo(401);
        HttpResponse<String> refused = new ConsoleClient(node.base()).signIn(SECOND, "second-password");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused)).containsEntry("message", "Wrong address or password, or not an administrator of this node");
        assertThat(new ConsoleClient(node.base()).basic("GET", "/api/v1/users", null, SECOND, "second-password")
                .statusCode()).isEqualTo(401);

        assertThat(admin.call("POST", "/api/v1/users/" + SECOND + "/unlock", Map.of()).statusCode()).isEqualTo(200);
        second = signIn(SECOND, "second-password");
        assertThat(admin.call("POST", "/api/v1/users/" + SECOND + "/password", Map.of("password", "third-password"))
                .statusCode()).isEqualTo(200);
        assertThat(second.get("/api/v1/users").statusCode()).as("session ended by the new password").isEqualTo(401);

        second = signIn(SECOND, "third-password");
        assertThat(admin.call("DELETE", "/api/v1/users/" + SECOND, Map.of("confirm", true)).statusCode()).isEqualTo(200);
        assertThat(second.get("/api/v1/users").statusCode()).as("session ended by the deletion").isEqualTo(401);
        assertThat(admin.get("/api/v1/users").statusCode()).as("the acting admin stays signed in").isEqualTo(200);
    }

    private static XMPPTCPConnection login(String user, String password) throws Exception {
        return SmackClients.loginOrThrow(node.node(), user, password, "again");
    }
}
