package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.skerry.interop.TestNode;
import org.skerry.interop.federation.TestCertificateAuthority;

/** {@code http.tls = true}: the console over HTTPS with the node's certificate, following an upload at once. */
class ConsoleHttpsTest {

    @Test
    void theConsoleAnswersOverHttpsWithTheNodesCertificateAndFollowsAnUpload() throws Exception {
        try (ConsoleNode node = ConsoleNode.start("http.tls=true")) {
            assertThat(node.base().getScheme()).isEqualTo("https");
            int httpsPort = node.node().node().httpPort();
            X509Certificate selfSigned = node.node().node().tls().certificate();
            assertThat(TlsProbe.presented(httpsPort)).isEqualTo(selfSigned);

            // A client that trusts exactly the node's certificate signs in; the cookie is Secure, HSTS is on.
            ConsoleClient admin = new ConsoleClient(node.base(), TlsProbe.trusting(selfSigned));
            HttpResponse<String> signedIn = admin.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
            assertThat(signedIn.statusCode()).isEqualTo(200);
            String cookie = signedIn.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith("skerry_console=")).findFirst().orElseThrow();
            assertThat(cookie).contains("Secure").contains("HttpOnly").contains("SameSite=Strict");
            assertThat(signedIn.headers().firstValue("Strict-Transport-Security")).isPresent();
            assertThat(admin.get("/admin/certificates").body()).contains("self-signed");

            TestCertificateAuthority ca = TestCertificateAuthority.create("HTTPS CA");
            TestCertificateAuthority.Issued issued = ca.issue("CN=" + TestNode.DOMAIN, TestNode.DOMAIN,
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(60)));
            HttpResponse<String> uploaded = admin.call("POST", "/api/v1/certificates/upload",
                    Map.of("certificate", issued.chainPem(), "privateKey", issued.keyPem()));
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);

            // New HTTPS connections get the new certificate: one that trusts only the CA now works, and one that
            // trusts only the old certificate is refused.
            assertThat(TlsProbe.presented(httpsPort)).isEqualTo(issued.leaf());
            ConsoleClient viaCa = new ConsoleClient(node.base(), TlsProbe.trusting(ca.certificate()));
            assertThat(viaCa.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD).statusCode()).isEqualTo(200);
            assertThat(viaCa.get("/api/v1/certificates").body()).contains("\"source\":\"uploaded\"");
            ConsoleClient pinnedToOld = new ConsoleClient(node.base(), TlsProbe.trusting(selfSigned));
            try {
                pinnedToOld.get("/api/v1/certificates");
                throw new AssertionError("the old certificate is still served over HTTPS");
            } catch (IllegalStateException e) {
                assertThat(e.getCause()).isInstanceOf(SSLHandshakeException.class);
            }
        }
    }
}
