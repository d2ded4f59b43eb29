package org.skerry.interop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.skerry.interop.console.FederatedConsoleNodes.B;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

/**
 * The Federation page in a real Chromium, as a.test's admin uses it while b.test, its peer, goes down and comes
 * back: the peer's link, then its error and queue appearing by themselves, retry now (failing, then delivering),
 * block and unblock, and a hostile peer's error text shown as text.
 */
@EnabledIfSystemProperty(named = "skerry.interop", matches = "true")
class ConsoleFederationBrowserTest {

    @Test
    void anAdminWatchesAPeerFailRetriesItBlocksAndUnblocksIt() throws Exception {
        try (MarkupPeer markupPeer = new MarkupPeer();
             FederatedConsoleNodes nodes = FederatedConsoleNodes.start("federation.retry_initial=\"5m\"",
                     "federation.retry_max=\"5m\"", markupPeer.hostsEntry());
             Browser browser = new Browser(nodes.base())) {
            XMPPTCPConnection alice = FederatedConsoleNodes.login(nodes.a());
            try {
                XMPPTCPConnection bob = FederatedConsoleNodes.login(nodes.b());
                BlockingQueue<Message> atBob = FederatedConsoleNodes.messagesTo(bob);
                FederatedConsoleNodes.send(alice, "user@" + B, "hello");
                assertThat(atBob.poll(20, TimeUnit.SECONDS)).as("the link is up").isNotNull();
                bob.disconnect();

                browser.signIn(nodes.admin().toString(), ConsoleNode.ADMIN_PASSWORD);
                browser.click("header nav a[href='/admin/federation']");
                browser.waitFor(d -> d.findElement(By.cssSelector("h1")).getText().equals("Federation"));
                String peer = "tbody[data-peer='" + B + "']";
                assertThat(browser.find(peer).getAttribute("class")).contains("health-ok");
                assertThat(browser.find(peer).getText()).contains("b.test", "bidi", "ready", "dialback", "TLSv1.");

                // b.test goes down with a message on its way: the error and the queue appear without a reload.
                nodes.stopPeer();
                FederatedConsoleNodes.send(alice, "user@" + B, "sent while b.test is down");
                browser.waitFor(d -> d.findElement(By.cssSelector("[data-field='b.test:queued']")).getText().equals("1"));
                browser.waitFor(d -> d.findElement(By.cssSelector("[data-field='b.test:lastError']")).getText()
                        .startsWith("cannot connect to b.test"));
                browser.open("/admin/federation");
                assertThat(browser.find(peer).getAttribute("class")).contains("health-failing");

                browser.click(peer + " button.retry");
                browser.waitFor(d -> d.findElement(By.cssSelector(".flash.error")).getText()
                        .startsWith("Could not deliver to b.test: cannot connect to b.test"));
                assertThat(browser.find(".flash.error").getText()).contains("1 stanza stays queued");
                browser.screenshot("federation");

                nodes.startPeerAgain();
                bob = FederatedConsoleNodes.login(nodes.b());
                try {
                    atBob = FederatedConsoleNodes.messagesTo(bob);
                    browser.click(peer + " button.retry");
                    browser.waitFor(d -> d.findElement(By.cssSelector(".flash.ok")).getText()
                            .equals("Delivered 1 stanza to b.test; its queue is empty."));
                    Message arrived = atBob.poll(10, TimeUnit.SECONDS);
                    assertThat(arrived).as("delivered by retry now").isNotNull();
                    assertThat(arrived.getBody()).isEqualTo("sent while b.test is down");
                } finally {
                    bob.disconnect();
                }
                assertThat(browser.find("[data-field='b.test:queued']").getText()).isEqualTo("0");

                browser.click(peer + " button.block");
                browser.driver().switchTo().alert().accept();
                browser.waitFor(d -> d.findElement(By.cssSelector(".flash.ok")).getText().startsWith("Blocked b.test"));
                assertThat(browser.find(peer).getAttribute("class")).contains("health-blocked");
                assertThat(browser.find("tr[data-blocked='b.test']").getText()).contains("at runtime");
                browser.click("tr[data-blocked='b.test'] button.unblock");
                browser.waitFor(d -> d.findElement(By.cssSelector(".flash.ok")).getText()
                        .equals("Unblocked b.test: links and stanzas are allowed again."));
                assertThat(browser.driver().findElements(By.cssSelector("tr[data-blocked='b.test']"))).isEmpty();

                // A hostile peer's error text, and markup an admin types, are shown as text and never run.
                FederatedConsoleNodes.send(alice, "someone@" + MarkupPeer.DOMAIN, "hello?");
                browser.waitFor(d -> {
                    d.navigate().refresh();
                    return !d.findElements(By.cssSelector("tbody[data-peer='evil.test'] td.last-error")).isEmpty()
                            && d.findElement(By.cssSelector("tbody[data-peer='evil.test'] td.last-error")).getText()
                            .contains(MarkupPeer.TEXT);
                });
                assertThat(browser.driver().findElements(By.cssSelector("table.peers img, table.peers script"))).isEmpty();
                browser.type("form.federation-block input[name=domain]", "\"><img src=x onerror=alert(1)>");
                browser.click("form.federation-block button[type=submit]");
                browser.driver().switchTo().alert().accept();
                browser.waitFor(d -> d.findElement(By.cssSelector(".flash.error")).getText()
                        .equals("\"\"><img src=x onerror=alert(1)>\" is not a valid domain name"));
                assertThat(browser.driver().findElements(By.cssSelector("main img"))).isEmpty();
                assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
            } finally {
                alice.disconnect();
            }
        }
    }
}
