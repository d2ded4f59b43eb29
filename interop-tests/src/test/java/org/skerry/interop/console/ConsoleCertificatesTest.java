package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.skerry.interop.SmackClients;
import org.skerry.interop.TestNode;
import org.skerry.interop.federation.TestCertificateAuthority;
import org.skerry.server.tls.Certificates;

/**
 * The certificates area over real HTTP: upload, regenerate and go back, each checked on what new c2s TLS
 * connections are actually shown; every refused change leaves the served certificate as it was.
 */
class ConsoleCertificatesTest {
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private static ConsoleClient signedIn(ConsoleNode node) {
        ConsoleClient admin = new ConsoleClient(node.base());
        assertThat(admin.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
        return admin;
    }

    private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return JSON.std.mapFrom(response.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> certificate(Map<String, Object> state) {
        return (Map<String, Object>) state.get("certificate");
    }

    private static Map<String, String> upload(TestCertificateAuthority.Issued issued) {
        return Map.of("certificate", issued.chainPem(), "privateKey", issued.keyPem());
    }

    @Test
    void anUploadedCertificateIsServedToNewC2sConnectionsAtOnce() throws Exception {
        try (ConsoleNode node = ConsoleNode.start()) {
            ConsoleClient admin = signedIn(node);
            X509Certificate selfSigned = node.node().node().tls().certificate();
            Map<String, Object> before = json(admin.get("/api/v1/certificates"));
            assertThat(before.get("source")).isEqualTo("self-signed");
            assertThat(certificate(before)).containsEntry("selfSigned", true)
                    .containsEntry("sha256Fingerprint", Certificates.sha256Fingerprint(selfSigned))
                    .containsEntry("xmppAddrs", List.of(TestNode.DOMAIN))
                    .containsEntry("expiryWarning", false);

            // Ten days left: installed, with the warning the page shows under 14 days.
            TestCertificateAuthority ca = TestCertificateAuthority.create("Console CA");
            TestCertificateAuthority.Issued issued = ca.issue("CN=" + TestNode.DOMAIN, TestNode.DOMAIN,
                    Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(10)));
            HttpResponse<String> response = admin.call("POST", "/api/v1/certificates/upload", upload(issued));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Map<String, Object> after = json(response);
            assertThat(after.get("source")).isEqualTo("uploaded");
            assertThat(certificate(after)).containsEntry("selfSigned", false).containsEntry("chainLength", 2)
                    .containsEntry("sha256Fingerprint", Certificates.sha256Fingerprint(issued.leaf()))
                    .containsEntry("dnsNames", List.of(TestNode.DOMAIN)).containsEntry("expiryWarning", true)
                    .containsEntry("signedBy", ca.certificate().getSubjectX500Principal().getName())
                    .containsEntry("serial", issued.leaf().getSerialNumber().toString(16).toUpperCase())
                    .containsEntry("notAfter", issued.leaf().getNotAfter().toInstant().toString());
            assertThat(((Number) certificate(after).get("daysLeft")).longValue()).isBetween(9L, 10L);

            // New direct-TLS connections see it, and a client that trusts only the CA logs in over STARTTLS, host
            // name verified by Smack.
            assertThat(TlsProbe.presented(node.node().directTlsPort())).isEqualTo(issued.leaf());
            node.node().createUser("alice", "alice-secret");
            XMPPTCPConnection alice = new XMPPTCPConnection(SmackClients.config(TestNode.DOMAIN, node.node().port(),
                    TlsProbe.trustManager(ca.certificate()), "alice", "alice-secret", "pc").build());
            alice.connect().login();
            assertThat(alice.isSecureConnection()).isTrue();
            alice.disconnect();
            assertThat(admin.get("/admin/certificates").body()).contains("expires on");

            // Regenerating the self-signed certificate makes no sense now: a clear 409, nothing changes.
            HttpResponse<String> regenerate = admin.call("POST", "/api/v1/certificates/regenerate", Map.of());
            assertThat(regenerate.statusCode()).isEqualTo(409);
            assertThat(json(regenerate).get("message").toString()).contains("remove the uploaded certificate first");
            assertThat(TlsProbe.presented(node.node().directTlsPort())).isEqualTo(issued.leaf());

            // Going back serves the previous self-signed certificate again.
            HttpResponse<String> removed = admin.call("DELETE", "/api/v1/certificates/uploaded", null);
            assertThat(removed.statusCode()).isEqualTo(200);
            assertThat(json(removed).get("source")).isEqualTo("self-signed");
            assertThat(TlsProbe.presented(node.node().directTlsPort())).isEqualTo(selfSigned);
            assertThat(admin.call("DELETE", "/api/v1/certificates/uploaded", null).statusCode()).isEqualTo(409);
        }
    }

    @Test
    void theUploadSurvivesARestart() throws Exception {
        ConsoleNode node = ConsoleNode.start();
        TestCertificateAuthority.Issued issued = TestCertificateAuthority.create("Restart CA").issue(
                "CN=" + TestNode.DOMAIN, TestNode.DOMAIN, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(90)));
        try {
            assertThat(signedIn(node).call("POST", "/api/v1/certificates/upload", upload(issued)).statusCode()).isEqualTo(200);
        } catch (RuntimeException | AssertionError e) {
            node.close();
            throw e;
        }
        try (TestNode again = node.node().restart()) {
            assertThat(again.node().tls().certificate()).isEqualTo(issued.leaf());
            assertThat(TlsProbe.presented(again.directTlsPort())).isEqualTo(issued.leaf());
        }
    }

    @Test
    void refusedUploadsAreExplainedAndChangeNothing() throws Exception {
        try (ConsoleNode node = ConsoleNode.start()) {
            ConsoleClient admin = signedIn(node);
            X509Certificate served = node.node().node().tls().certificate();
            TestCertificateAuthority ca = TestCertificateAuthority.create("Refusing CA");
            Instant now = Instant.now();
            TestCertificateAuthority.Issued good = ca.issue("CN=" + TestNode.DOMAIN, TestNode.DOMAIN,
                    now.minusSeconds(60), now.plus(Duration.ofDays(30)));
            TestCertificateAuthority.Issued other = ca.issue("CN=" + TestNode.DOMAIN, TestNode.DOMAIN,
                    now.minusSeconds(60), now.plus(Duration.ofDays(30)));
            TestCertificateAuthority.Issued expired = ca.issue("CN=" + TestNode.DOMAIN, TestNode.DOMAIN,
                    now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
            TestCertificateAuthority.Issued wrongName = ca.issue("CN=elsewhere.test", "elsewhere.test",
                    now.minusSeconds(60), now.plus(Duration.ofDays(30)));

            Map<Map<String, String>, String> refusals = new java.util.LinkedHashMap<>();
            refusals.put(Map.of("certificate", good.chainPem(), "privateKey", other.keyPem()),
                    "the private key does not match any of the certificates CN=" + TestNode.DOMAIN);
            refusals.put(upload(expired), "the certificate expired on");
            refusals.put(upload(wrongName), "the certificate does not name " + TestNode.DOMAIN + " (it names elsewhere.test)");
            refusals.put(Map.of("certificate", "this is not a certificate", "privateKey", good.keyPem()),
                    "the certificate is not PEM");
            refusals.put(Map.of("certificate", good.chainPem(), "privateKey", "-----BEGIN PRIVATE KEY-----\n!!!\n"),
                    "malformed PEM");
            refusals.put(Map.of("certificate", good.chainPem()), "The field 'privateKey' is required");
            for (Map.Entry<Map<String, String>, String> refusal : refusals.entrySet()) {
                HttpResponse<String> response = admin.call("POST", "/api/v1/certificates/upload", refusal.getKey());
                assertThat(response.statusCode()).as(refusal.getValue()).isEqualTo(400);
                assertThat(json(response).get("message").toString()).contains(refusal.getValue());
                assertUnchanged(node, served);
            }

            // Over the 256 KiB body limit: refused before it is parsed.
            Map<String, String> huge = new HashMap<>(upload(good));
            huge.put("certificate", good.chainPem() + "#".repeat(300 * 1024));
            assertThat(admin.call("POST", "/api/v1/certificates/upload", huge).statusCode()).isEqualTo(413);
            // Not signed in, or a forged request from another site: refused, nothing installed.
            assertThat(new ConsoleClient(node.base()).call("POST", "/api/v1/certificates/upload", upload(good))
                    .statusCode()).isEqualTo(401);
            assertThat(admin.callWithCsrf("POST", "/api/v1/certificates/upload", upload(good), null).statusCode())
                    .isEqualTo(403);
            assertThat(admin.callWithCsrf("POST", "/api/v1/certificates/upload", upload(good), "forged").statusCode())
                    .isEqualTo(403);
            assertThat(admin.get("/api/v1/certificates/regenerate").statusCode()).isEqualTo(405);
            assertUnchanged(node, served);

            // The form says why and keeps the certificate.
            String page = admin.get("/admin/certificates").body();
            Map<String, String> form = new HashMap<>(Map.of("certificate", expired.chainPem(),
                    "privateKey", expired.keyPem(), "back", "/admin/certificates"));
            form.put("csrf", token(page));
            HttpResponse<String> posted = admin.postForm("/admin/certificates/upload", form);
            assertThat(posted.statusCode()).isEqualTo(303);
            assertThat(posted.headers().firstValue("Location")).hasValue("/admin/certificates");
            assertThat(admin.get("/admin/certificates").body()).contains("flash error").contains("the certificate expired on");
            assertUnchanged(node, served);
        }
    }

    @Test
    void regeneratingGivesANewFingerprint() throws Exception {
        try (ConsoleNode node = ConsoleNode.start()) {
            ConsoleClient admin = signedIn(node);
            String first = Certificates.sha256Fingerprint(node.node().node().tls().certificate());
            HttpResponse<String> response = admin.call("POST", "/api/v1/certificates/regenerate", Map.of());
            assertThat(response.statusCode()).isEqualTo(200);
            String second = certificate(json(response)).get("sha256Fingerprint").toString();
            assertThat(second).isNotEqualTo(first);
            assertThat(Certificates.sha256Fingerprint(TlsProbe.presented(node.node().directTlsPort()))).isEqualTo(second);

            // The page's button does the same.
            String page = admin.get("/admin/certificates").body();
            assertThat(page).contains(second).contains("action=\"/admin/certificates/regenerate\"");
            HttpResponse<String> posted = admin.postForm("/admin/certificates/regenerate",
                    Map.of("csrf", token(page), "back", "/admin/certificates"));
            assertThat(posted.statusCode()).isEqualTo(303);
            String third = Certificates.sha256Fingerprint(TlsProbe.presented(node.node().directTlsPort()));
            assertThat(third).isNotIn(first, second);
            assertThat(admin.get("/admin/certificates").body()).contains("Generated a new self-signed certificate (SHA-256 " + third);
            assertThat(admin.postForm("/admin/certificates/regenerate", Map.of("csrf", "forged")).statusCode()).isEqualTo(403);
            assertThat(Certificates.sha256Fingerprint(TlsProbe.presented(node.node().directTlsPort()))).isEqualTo(third);
        }
    }

    @Test
    void filesNamedInTheConfigurationAreLeftToTheAdmin() throws Exception {
        Path dir = Files.createTempDirectory("skerry-configured-certs");
        TestCertificateAuthority ca = TestCertificateAuthority.create("Configured CA");
        TestCertificateAuthority.PemPair pair = ca.issue(TestNode.DOMAIN, dir);
        byte[] certificateBytes = Files.readAllBytes(pair.certificate());
        try (ConsoleNode node = ConsoleNode.start(pair.settings())) {
            ConsoleClient admin = signedIn(node);
            X509Certificate served = node.node().node().tls().certificate();
            Map<String, Object> state = json(admin.get("/api/v1/certificates"));
            assertThat(state.get("source")).isEqualTo("configured");
            assertThat(state.get("file")).isEqualTo(pair.certificate().toString());

            TestCertificateAuthority.Issued issued = ca.issue("CN=" + TestNode.DOMAIN, TestNode.DOMAIN,
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
            HttpResponse<String> refused = admin.call("POST", "/api/v1/certificates/upload", upload(issued));
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(json(refused).get("message").toString()).contains("tls.certificate names " + pair.certificate())
                    .contains("Replace that file");
            HttpResponse<String> regenerate = admin.call("POST", "/api/v1/certificates/regenerate", Map.of());
            assertThat(regenerate.statusCode()).isEqualTo(409);
            assertThat(json(regenerate).get("message").toString()).contains("no self-signed certificate to regenerate");

            assertThat(TlsProbe.presented(node.node().directTlsPort())).isEqualTo(served);
            assertThat(Files.readAllBytes(pair.certificate())).isEqualTo(certificateBytes);
            assertThat(node.node().dataDir().resolve("tls").resolve("uploaded.pem")).doesNotExist();
            String page = admin.get("/admin/certificates").body();
            assertThat(page).doesNotContain("action=\"/admin/certificates/upload\"")
                    .doesNotContain("action=\"/admin/certificates/regenerate\"").contains("Replace that file");
        }
    }

    @Test
    void aHostileSubjectIsShownAsText() throws Exception {
        try (ConsoleNode node = ConsoleNode.start()) {
            ConsoleClient admin = signedIn(node);
            TestCertificateAuthority ca = TestCertificateAuthority.create("Hostile CA");
            TestCertificateAuthority.Issued hostile = ca.issue("CN=" + TestNode.DOMAIN + ",O=<script>alert(1)</script>",
                    TestNode.DOMAIN, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)));
            TestCertificateAuthority.Issued other = ca.issue("CN=x", TestNode.DOMAIN, Instant.now().minusSeconds(60),
                    Instant.now().plus(Duration.ofDays(30)));
            // In an error message (the key does not match this subject) ...
            String page = admin.get("/admin/certificates").body();
            admin.postForm("/admin/certificates/upload", Map.of("certificate", hostile.chainPem(),
                    "privateKey", other.keyPem(), "csrf", token(page), "back", "/admin/certificates"));
            String withError = admin.get("/admin/certificates").body();
            // X500Principal writes the name RFC 2253-escaped (\<script\>); the page must escape it for HTML again.
            assertThat(withError).contains("the private key does not match").contains("&lt;script")
                    .doesNotContain("\\<script");
            // ... and as the installed certificate's subject.
            assertThat(admin.call("POST", "/api/v1/certificates/upload", upload(hostile)).statusCode()).isEqualTo(200);
            String installed = admin.get("/admin/certificates").body();
            assertThat(installed).contains("O=\\&lt;script\\&gt;alert(1)").doesNotContain("\\<script");
        }
    }

    private static void assertUnchanged(ConsoleNode node, X509Certificate served) throws Exception {
        assertThat(node.node().node().tls().certificate()).isEqualTo(served);
        assertThat(TlsProbe.presented(node.node().directTlsPort())).isEqualTo(served);
        assertThat(node.node().dataDir().resolve("tls").resolve("uploaded.pem")).doesNotExist();
    }

    private static String token(String page) {
        Matcher m = FORM_TOKEN.matcher(page);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
