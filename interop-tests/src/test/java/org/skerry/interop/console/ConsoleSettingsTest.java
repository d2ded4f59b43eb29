package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.jivesoftware.smackx.iqregister.packet.Registration;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.parts.Localpart;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;
import org.skerry.server.xmpp.Jid;

/** The settings area over real HTTP: the effective configuration without secrets, and registration switched live. */
class ConsoleSettingsTest {
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String STORAGE_SECRET = "storage-secret-4711";
    private static final String TLS_SECRET = "tls-secret-0815";

    private static ConsoleClient signedIn(ConsoleNode node) {
        ConsoleClient admin = new ConsoleClient(node.base());
        assertThat(admin.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
        return admin;
    }

    @Test
    @SuppressWarnings("unchecked")
    void theEffectiveConfigurationShowsWhereValuesCameFromAndNoSecret() throws Exception {
        try (ConsoleNode node = ConsoleNode.start("storage.user=sa", "storage.password=" + STORAGE_SECRET,
                "tls.password=" + TLS_SECRET, "c2s.registration_limit=7")) {
            ConsoleClient admin = signedIn(node);
            HttpResponse<String> api = admin.get("/api/v1/settings");
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(api.body()).doesNotContain(STORAGE_SECRET).doesNotContain(TLS_SECRET);
            Map<String, Object> settings = JSON.std.mapFrom(api.body());
            assertThat((Map<String, Object>) settings.get("registration")).containsEntry("open", false)
                    .containsEntry("configured", false).containsEntry("untilRestart", false);
            Map<String, Map<String, Object>> entries = new java.util.HashMap<>();
            for (Object entry : (List<Object>) settings.get("entries")) {
                Map<String, Object> e = (Map<String, Object>) entry;
                entries.put((String) e.get("key"), e);
            }
            assertThat(entries.get("storage.password")).containsEntry("value", "********").containsEntry("secret", true)
                    .containsEntry("source", "--set");
            assertThat(entries.get("tls.password")).containsEntry("value", "********");
            assertThat(entries.get("c2s.registration_limit")).containsEntry("value", 7).containsEntry("source", "--set");
            assertThat(entries.get("c2s.max_depth")).containsEntry("value", 32).containsEntry("source", "default");
            assertThat(entries.get("domains")).containsEntry("value", List.of(TestNode.DOMAIN));

            HttpResponse<String> page = admin.get("/admin/settings");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).doesNotContain(STORAGE_SECRET).doesNotContain(TLS_SECRET)
                    .contains("data-key=\"c2s.allow_registration\"").contains("c2s.registration_limit")
                    .contains("until the node restarts");

            assertThat(new ConsoleClient(node.base()).get("/api/v1/settings").statusCode()).isEqualTo(401);
            assertThat(new ConsoleClient(node.base()).get("/admin/settings").statusCode()).isEqualTo(303);
        }
    }

    @Test
    void hostileValuesAreShownAsText() throws Exception {
        // Paths are the one kind of value the configuration takes as free text; with federation off it never reads them.
        try (ConsoleNode node = ConsoleNode.start(
                "federation.trust_anchors=[\"/tmp/<script>alert(1)</script>.pem\", \"/tmp/\\\"><img src=x onerror=alert(2)>\"]")) {
            String page = signedIn(node).get("/admin/settings").body();
            assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;img src=x onerror=alert(2)&gt;")
                    .doesNotContain("<script>alert").doesNotContain("<img src=x");
        }
    }

    @Test
    void registrationOpensAndClosesForNewStreamsAtOnce() throws Exception {
        try (ConsoleNode node = ConsoleNode.start()) {
            ConsoleClient admin = signedIn(node);
            assertRegistration(node, false, "before1");

            HttpResponse<String> opened = admin.call("POST", "/api/v1/settings/registration", Map.of("open", true));
            assertThat(opened.statusCode()).isEqualTo(200);
            assertThat(JSON.std.mapFrom(opened.body())).containsEntry("open", true).containsEntry("configured", false)
                    .containsEntry("untilRestart", true);
            assertRegistration(node, true, "newcomer");
            SmackClients.login(node.node(), "newcomer", "newcomer-secret", "pc").disconnect();

            // Refused changes leave it open.
            assertThat(admin.call("POST", "/api/v1/settings/registration", Map.of("open", "maybe")).statusCode())
                    .isEqualTo(400);
            assertThat(admin.call("POST", "/api/v1/settings/registration", Map.of()).statusCode()).isEqualTo(400);
            assertThat(admin.callWithCsrf("POST", "/api/v1/settings/registration", Map.of("open", false), "forged")
                    .statusCode()).isEqualTo(403);
            assertThat(new ConsoleClient(node.base()).call("POST", "/api/v1/settings/registration", Map.of("open", false))
                    .statusCode()).isEqualTo(401);
            assertThat(node.node().node().registration().isOpen()).isTrue();

            // The page's button closes it again.
            String page = admin.get("/admin/settings").body();
            assertThat(page).contains("Close registration");
            HttpResponse<String> closed = admin.postForm("/admin/settings/registration",
                    Map.of("csrf", token(page), "open", "false", "back", "/admin/settings"));
            assertThat(closed.statusCode()).isEqualTo(303);
            assertThat(admin.get("/admin/settings").body()).contains("In-band registration is closed, as the configuration says.")
                    .contains("Open registration");
            assertRegistration(node, false, "latecomer");
        }
    }

    /** A new stream offers (or not) the register feature, and registering works (or is service-unavailable). */
    private static void assertRegistration(ConsoleNode node, boolean open, String user) throws Exception {
        XMPPTCPConnection anonymous = new XMPPTCPConnection(SmackClients.config(node.node(), null, null, "pc").build());
        anonymous.setReplyTimeout(10_000);
        anonymous.connect();
        try {
            assertThat(anonymous.hasFeature(Registration.Feature.ELEMENT, Registration.Feature.NAMESPACE)).isEqualTo(open);
            AccountManager accounts = AccountManager.getInstance(anonymous);
            if (open) {
                accounts.createAccount(Localpart.from(user), user + "-secret");
            } else {
                assertThatThrownBy(() -> accounts.createAccount(Localpart.from(user), user + "-secret"))
                        .isInstanceOfSatisfying(XMPPErrorException.class, e -> assertThat(e.getStanzaError().getCondition())
                                .isEqualTo(StanzaError.Condition.service_unavailable));
            }
        } finally {
            anonymous.disconnect();
        }
        assertThat(node.node().node().accounts().exists(Jid.of(user, TestNode.DOMAIN))).isEqualTo(open);
    }

    private static String token(String page) {
        Matcher m = FORM_TOKEN.matcher(page);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
