package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.skerry.interop.TestNode;
import org.skerry.interop.federation.TestCertificateAuthority;
import org.skerry.server.tls.Certificates;

/** The certificates and settings pages in a real Chromium: install a certificate through the form, open registration. */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class ConsoleCertificatesBrowserTest {

    @Test
    void anAdminInstallsACertificateThenOpensRegistration() throws Exception {
        TestCertificateAuthority ca = TestCertificateAuthority.create("Browser CA");
        TestCertificateAuthority.Issued issued = ca.issue("CN=" + TestNode.DOMAIN, TestNode.DOMAIN,
                Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(90)));
        try (ConsoleNode node = ConsoleNode.start(); Browser browser = new Browser(node.base())) {
            browser.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
            browser.click("header nav a[href='/admin/certificates']");
            browser.waitFor(d -> d.findElement(By.cssSelector("main h1")).getText().equals("Certificates"));
            assertThat(browser.find("[data-field=source]").getText()).startsWith("self-signed");
            assertThat(browser.find("[data-field=selfSigned]").getText()).isEqualTo("yes");
            assertThat(browser.driver().findElements(By.cssSelector("form[action='/admin/certificates/regenerate']")))
                    .hasSize(1);

            browser.type("textarea[name=certificate]", issued.chainPem());
            browser.type("textarea[name=privateKey]", issued.keyPem());
            browser.click("form.cert-upload button[type=submit]");
            browser.waitFor(d -> !d.findElements(By.cssSelector(".flash.ok")).isEmpty());
            assertThat(browser.find(".flash.ok").getText()).startsWith("Installed the uploaded certificate");
            String fingerprint = Certificates.sha256Fingerprint(issued.leaf());
            assertThat(browser.find("[data-field=fingerprint]").getText()).isEqualTo(fingerprint);
            assertThat(browser.find("[data-field=source]").getText()).startsWith("uploaded");
            assertThat(browser.find("[data-field=selfSigned]").getText()).isEqualTo("no");
            // Regenerating the self-signed certificate is not offered now, and the page says why.
            assertThat(browser.driver().findElements(By.cssSelector("form[action='/admin/certificates/regenerate']")))
                    .isEmpty();
            assertThat(browser.find("[data-field=regenerateRefusal]").getText())
                    .contains("remove the uploaded certificate first");
            browser.screenshot("certificates");
            assertThat(TlsProbe.presented(node.node().directTlsPort())).isEqualTo(issued.leaf());

            browser.click("header nav a[href='/admin/settings']");
            browser.waitFor(d -> d.findElement(By.cssSelector("main h1")).getText().equals("Settings"));
            assertThat(browser.find("[data-field=registration]").getText()).isEqualTo("cannot");
            browser.click("form.registration button[type=submit]");
            browser.waitFor(d -> !d.findElements(By.cssSelector(".flash.ok")).isEmpty());
            assertThat(browser.find(".flash.ok").getText()).contains("open until the node restarts");
            assertThat(browser.find("[data-field=registration]").getText()).isEqualTo("can");
            assertThat(browser.find("tr[data-key='c2s.allow_registration']").getText()).contains("false").contains("default");
            browser.screenshot("settings");
            assertThat(node.node().node().registration().isOpen()).isTrue();
        }
    }
}
