package org.skerry.interop.console;

import org.skerry.interop.SmackClients;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.skerry.interop.console.FederatedConsoleNodes.B;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;

/**
 * The Federation page in a real Chromium, as a.test's admin uses it while b.test, its peer, goes down and comes
 * back: the peer's link, then its error and queue appearing by themselves, retry now (failing, then delivering),
 * block and unblock, a hostile peer's error text shown as text, and a check of b.test step by step.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class ConsoleFederationBrowserTest {

    /** Waits until the element's text satisfies {@code condition}, across the page loads of a form's post. */
    private static void waitForText(Browser browser, String css, Predicate<String> condition) {
        browser.waitFor(d -> {
            try {
                return condition.test(d.findElement(By.cssSelector(css)).getText());
            } catch (StaleElementReferenceException replacedByTheNextPage) {
                return false;
            }
        });
    }

    @Test
    void anAdminWatchesAPeerFailRetriesItBlocksAndUnblocksItAndChecksIt() throws Exception {
        try (MarkupPeer markupPeer = new MarkupPeer();
             FederatedConsoleNodes nodes = FederatedConsoleNodes.start("federation.retry_initial=\"5m\"",
                     "federation.retry_max=\"5m\"", markupPeer.hostsEntry());
             Browser browser = new Browser(nodes.base())) {
            XMPPTCPConnection alice = FederatedConsoleNodes.login(nodes.a());
            try {
                XMPPTCPConnection bob = FederatedConsoleNodes.login(nodes.b());
                BlockingQueue<Message> atBob = SmackClients.messagesTo(bob);
                SmackClients.send(alice, "user@" + B, "hello");
                assertThat(atBob.poll(20, TimeUnit.SECONDS)).as("the link is up").isNotNull();
                bob.disconnect();

                browser.signIn(nodes.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
                browser.click("header nav a[href='/admin/federation']");
                browser.waitFor(d -> d.getCurrentUrl().endsWith("/admin/federation"));
                assertThat(browser.find("h1").getText()).isEqualTo("Federation");
                String peer = "tbody[data-peer='" + B + "']";
                assertThat(browser.find(peer).getAttribute("class")).contains("health-ok");
                assertThat(browser.find(peer).getText()).contains("b.test", "bidi", "ready", "dialback", "TLSv1.");

                // b.test goes down with a message on its way: the error and the queue appear without a reload.
                nodes.stopPeer();
                SmackClients.send(alice, "user@" + B, "sent while b.test is down");
                waitForText(browser, "[data-field='b.test:queued']", text -> text.equals("1"));
                waitForText(browser, "[data-field='b.test:lastError']",
                        text -> text.startsWith("cannot connect to b.test"));
                browser.open("/admin/federation");
                assertThat(browser.find(peer).getAttribute("class")).contains("health-failing");

                browser.click(peer + " button.retry");
                waitForText(browser, ".flash.error",
                        text -> text.startsWith("Could not deliver to b.test: cannot connect to b.test"));
                assertThat(browser.find(".flash.error").getText()).contains("1 stanza stays queued");
                browser.screenshot("federation");

                nodes.startPeerAgain();
                bob = FederatedConsoleNodes.login(nodes.b());
                try {
                    atBob = SmackClients.messagesTo(bob);
                    browser.click(peer + " button.retry");
                    waitForText(browser, ".flash.ok",
                            text -> text.equals("Delivered 1 stanza to b.test; its queue is empty."));
                    Message arrived = atBob.poll(10, TimeUnit.SECONDS);
                    if (arrived != null && "hello".equals(arrived.getBody())) {
                        // Bob left right after "hello", maybe before his client acknowledged it (XEP-0198): then
                        // b.test kept it for him offline, and it comes again first.
                        arrived = atBob.poll(10, TimeUnit.SECONDS);
                    }
                    assertThat(arrived).as("delivered by retry now").isNotNull();
                    assertThat(arrived.getBody()).isEqualTo("sent while b.test is down");
                } finally {
                    bob.disconnect();
                }
                assertThat(browser.find("[data-field='b.test:queued']").getText()).isEqualTo("0");

                browser.click(peer + " button.block");
                browser.driver().switchTo().alert().accept();
                waitForText(browser, ".flash.ok", text -> text.startsWith("Blocked b.test"));
                assertThat(browser.find(peer).getAttribute("class")).contains("health-blocked");
                assertThat(browser.find("tr[data-blocked='b.test']").getText()).contains("at runtime");
                browser.click("tr[data-blocked='b.test'] button.unblock");
                waitForText(browser, ".flash.ok",
                        text -> text.equals("Unblocked b.test: links and stanzas are allowed again."));
                assertThat(browser.driver().findElements(By.cssSelector("tr[data-blocked='b.test']"))).isEmpty();

                // A hostile peer's error text, and markup an admin types, are shown as text and never run.
                SmackClients.send(alice, "someone@" + MarkupPeer.DOMAIN, "hello?");
                browser.waitFor(d -> {
                    d.navigate().refresh();
                    return !d.findElements(By.cssSelector("tbody[data-peer='evil.test'] td.last-error")).isEmpty()
                            && d.findElement(By.cssSelector("tbody[data-peer='evil.test'] td.last-error")).getText()
                            .contains(MarkupPeer.TEXT);
                });
                assertThat(browser.driver().findElements(By.cssSelector("table.peers img, table.peers script")))
                        .isEmpty();
                browser.type("form.federation-block input[name=domain]", "\"><img src=x onerror=alert(1)>");
                browser.click("form.federation-block button[type=submit]");
                browser.driver().switchTo().alert().accept();
                waitForText(browser, ".flash.error",
                        text -> text.equals("\"\"><img src=x onerror=alert(1)>\" is not a valid domain name"));
                assertThat(browser.driver().findElements(By.cssSelector("main img"))).isEmpty();
                assertThatThrownBy(() -> browser.driver().switchTo().alert())
                        .isInstanceOf(NoAlertPresentException.class);

                // "Check a domain" runs federation check from the node and shows each step.
                browser.type("form.federation-check input[name=domain]", B);
                browser.click("form.federation-check button[type=submit]");
                browser.waitFor(d -> d.getCurrentUrl().endsWith("/admin/federation/check"));
                assertThat(browser.find("h1").getText()).isEqualTo("Check a domain");
                assertThat(browser.find(".check-summary").getText()).isEqualTo("Every step to b.test passed.");
                assertThat(browser.driver().findElements(By.cssSelector("table.check-steps tr[data-step]")))
                        .extracting(row -> row.getAttribute("data-step") + " "
                                + row.findElement(By.cssSelector("td.outcome")).getText())
                        .containsExactly("resolution OK", "tcp OK", "tls OK", "certificate OK", "names OK", "expiry OK",
                                "auth OK", "ping OK");
                browser.screenshot("federation-check");
            } finally {
                alice.disconnect();
            }
        }
    }
}
