package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's recent warnings in a real Chromium: a warning the node logs while the page is open appears
 * without a reload, and markup in a logged message stays text, both as rendered by the server and as refreshed
 * by the script.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class ConsoleDashboardBrowserTest {
    private static final String MARKUP = "<img src=x onerror=\"window.xssFired=1\"><script>window.xssFired=2</script>";
    private static ConsoleNode node;

    @BeforeAll
    static void start() {
        // One client connection per address: a second one is refused with a warning in the log.
        node = ConsoleNode.start("c2s.max_connections_per_ip=1");
    }

    @AfterAll
    static void stop() { node.close(); }

    @Test
    void warningsAppearAsTextAndTheListRefreshesByItself() throws Exception {
        LoggerFactory.getLogger("org.skerry.federation.link.InboundStream").warn("Peer error text: " + MARKUP);
        try (Browser browser = new Browser(node.base())) {
            browser.signIn(node.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
            JavascriptExecutor js = (JavascriptExecutor) browser.driver();
            assertThat(browser.find(".warning-list").getText()).as("rendered by the server").contains("Peer error text: " + MARKUP);
            assertThat(browser.driver().findElements(By.cssSelector(".warning-list img"))).isEmpty();
            assertThat(browser.find("[data-field=stanzasPerSecond]").getText()).matches("[0-9]+(\\.[0-9])?");
            assertThat(browser.find("[data-field=storageSize]").getText()).matches("[0-9.]+ (B|KiB|MiB|GiB)");

            try (Socket first = new Socket(InetAddress.getLoopbackAddress(), node.node().port());
                 Socket refused = new Socket(InetAddress.getLoopbackAddress(), node.node().port())) {
                browser.waitFor(d -> d.findElement(By.cssSelector(".warning-list")).getText()
                        .contains("Refusing a connection from 127.0.0.1: connection limit reached"));
            }
            // The script rebuilt the list: the old entry is still there, still as text.
            assertThat(browser.find(".warning-list").getText()).contains("Peer error text: " + MARKUP);
            assertThat(browser.find(".warning-list li").getText()).as("newest first").contains("connection limit reached");
            assertThat(browser.driver().findElements(By.cssSelector(".warning-list img"))).isEmpty();
            assertThat(js.executeScript("return window.xssFired")).as("no markup ran").isNull();
            browser.screenshot("dashboard-warnings");
        }
    }
}
